// Capabilities, KubeVersion and VersionSet as Helm v4 exposes them to templates (.Capabilities).

package common

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"helmref/version"
)

// Capabilities is .Capabilities.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
	HelmVersion version.BuildInfo
}

// KubeVersion is .Capabilities.KubeVersion; GitVersion and String are pointer methods, as in Helm.
type KubeVersion struct {
	Version           string
	normalizedVersion string
	Major             string
	Minor             string
}

// String is the normalized version ("v1.34.0"), what `{{ .Capabilities.KubeVersion }}` prints.
func (kv *KubeVersion) String() string {
	if kv.normalizedVersion != "" {
		return kv.normalizedVersion
	}
	return kv.Version
}

// GitVersion is the version as given ("v1.34.0").
func (kv *KubeVersion) GitVersion() string { return kv.Version }

// VersionSet is .Capabilities.APIVersions.
type VersionSet []string

// Has tells whether an API version ("apps/v1") or resource ("apps/v1/Deployment") is in the set.
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

// k8s.io/apimachinery/pkg/util/version's generic version syntax.
var versionMatchRE = regexp.MustCompile(`^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$`)

// ParseKubeVersion reads --kube-version as Helm does (version.ParseGeneric: at least two numeric
// components, the first without a leading zero; anything after the numbers is ignored).
func ParseKubeVersion(s string) (*KubeVersion, error) {
	parts := versionMatchRE.FindStringSubmatch(s)
	if parts == nil {
		return nil, fmt.Errorf("could not parse %q as version", s)
	}
	comps := strings.Split(parts[1], ".")
	if len(comps) < 2 {
		return nil, fmt.Errorf("illegal version string %q", s)
	}
	nums := make([]uint64, len(comps))
	for i, c := range comps {
		if i == 0 && strings.HasPrefix(c, "0") && c != "0" {
			return nil, fmt.Errorf("illegal zero-prefixed version component %q in %q", c, s)
		}
		n, err := strconv.ParseUint(c, 10, 0)
		if err != nil {
			return nil, fmt.Errorf("illegal non-numeric version component %q in %q: %v", c, s, err)
		}
		nums[i] = n
	}
	strs := make([]string, len(nums))
	for i, n := range nums {
		strs[i] = strconv.FormatUint(n, 10)
	}
	git := s
	if !strings.HasPrefix(s, "v") {
		git = "v" + s
	}
	return &KubeVersion{
		Version:           git,
		normalizedVersion: "v" + strings.Join(strs, "."),
		Major:             strs[0],
		Minor:             strs[1],
	}, nil
}

// NewKubeVersion makes the default version "vMAJOR.MINOR.0".
func NewKubeVersion(major, minor uint64) KubeVersion {
	v := fmt.Sprintf("v%d.%d.0", major, minor)
	return KubeVersion{Version: v, normalizedVersion: v, Major: strconv.FormatUint(major, 10), Minor: strconv.FormatUint(minor, 10)}
}

// DefaultVersionSet is what Helm's DefaultVersionSet holds with client-go v0.36 (every group
// version of client-go's scheme plus apiextensions v1 and v1beta1). Helm builds it from a Go map,
// so its order varies between runs; ours is fixed.
var DefaultVersionSet = VersionSet{
	"admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
	"internal.apiserver.k8s.io/v1alpha1",
	"apps/v1", "apps/v1beta1", "apps/v1beta2",
	"authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
	"authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
	"autoscaling/v1", "autoscaling/v2",
	"batch/v1", "batch/v1beta1",
	"certificates.k8s.io/v1", "certificates.k8s.io/v1alpha1", "certificates.k8s.io/v1beta1",
	"coordination.k8s.io/v1", "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1",
	"v1",
	"discovery.k8s.io/v1", "discovery.k8s.io/v1beta1",
	"events.k8s.io/v1", "events.k8s.io/v1beta1",
	"extensions/v1beta1",
	"flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3",
	"networking.k8s.io/v1", "networking.k8s.io/v1beta1",
	"node.k8s.io/v1", "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1",
	"policy/v1", "policy/v1beta1",
	"rbac.authorization.k8s.io/v1", "rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1",
	"resource.k8s.io/v1", "resource.k8s.io/v1alpha3", "resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2",
	"scheduling.k8s.io/v1", "scheduling.k8s.io/v1alpha2", "scheduling.k8s.io/v1beta1",
	"storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storage.k8s.io/v1beta1",
	"storagemigration.k8s.io/v1beta1",
	"apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
}
