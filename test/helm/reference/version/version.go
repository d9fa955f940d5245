// Package version holds the build information that Helm exposes as .Capabilities.HelmVersion.
// It is its own package so that Go prints its type as `version.BuildInfo`, as Helm does.
package version

// BuildInfo mirrors helm.sh/helm/v4/internal/version.BuildInfo.
type BuildInfo struct {
	Version           string `json:"version,omitempty"`
	GitCommit         string `json:"git_commit,omitempty"`
	GitTreeState      string `json:"git_tree_state,omitempty"`
	GoVersion         string `json:"go_version,omitempty"`
	KubeClientVersion string `json:"kube_client_version"`
}

// Get returns the build info of the Helm version the reference mirrors (helm/helm main at
// e9b85e4, "v4.2", client-go v0.36 → "v1.36"). GoVersion is fixed rather than this binary's Go
// version so that output never depends on the machine (real Helm prints its own Go version).
func Get() BuildInfo {
	return BuildInfo{Version: "v4.2", GoVersion: "go1.26.0", KubeClientVersion: "v1.36"}
}

// GetForTests is what Helm's own tests see (its golden files are made with these).
func GetForTests() BuildInfo {
	return BuildInfo{Version: "v4.2", KubeClientVersion: "v1.20"}
}
