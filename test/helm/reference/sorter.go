// How `helm template` turns rendered files into its output (pkg/release/v1/util manifest.go,
// manifest_sorter.go, kind_sorter.go): files in name order, each split into documents at lines
// starting with "---", each document's head read as YAML (an error here is "YAML parse error on
// FILE: ..."), hooks (helm.sh/hook) set apart, the rest stably sorted by kind in install order.
package main

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/ghodss/yaml"
)

// SimpleHead is the part of a document the sorter reads (named as in Helm: it shows in JSON errors).
type SimpleHead struct {
	Version  string `json:"apiVersion"`
	Kind     string `json:"kind,omitempty"`
	Metadata *struct {
		Name        string            `json:"name"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata,omitempty"`
}

// Manifest is one document of a rendered file.
type Manifest struct {
	Name    string
	Content string
	Head    *SimpleHead
}

// Hook is a document with a known helm.sh/hook annotation.
type Hook struct {
	Path     string
	Manifest string
	Kind     string
	Events   []string
}

var manifestSep = regexp.MustCompile(`(?m)^---[ \t]*`)

// SplitManifests splits a file into documents keyed "manifest-N" (empty documents dropped,
// leading whitespace trimmed, trailing text kept).
func SplitManifests(bigFile string) map[string]string {
	res := map[string]string{}
	docs := manifestSep.Split(strings.TrimLeftFunc(bigFile, unicode.IsSpace), -1)
	count := 0
	for _, d := range docs {
		if strings.TrimSpace(d) == "" {
			continue
		}
		res[fmt.Sprintf("manifest-%d", count)] = strings.TrimLeftFunc(d, unicode.IsSpace)
		count++
	}
	return res
}

// sortedManifestKeys orders "manifest-N" keys by N.
func sortedManifestKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.ParseInt(keys[i][len("manifest-"):], 10, 0)
		b, _ := strconv.ParseInt(keys[j][len("manifest-"):], 10, 0)
		return a < b
	})
	return keys
}

var hookEvents = map[string]string{
	"pre-install": "pre-install", "post-install": "post-install",
	"pre-delete": "pre-delete", "post-delete": "post-delete",
	"pre-upgrade": "pre-upgrade", "post-upgrade": "post-upgrade",
	"pre-rollback": "pre-rollback", "post-rollback": "post-rollback",
	"test": "test", "test-success": "test",
}

var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
	"ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
	"RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
	"ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
	"IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration",
	"ValidatingWebhookConfiguration",
}

var installRank = func() map[string]int {
	m := map[string]int{}
	for i, k := range installOrder {
		m[k] = i
	}
	return m
}()

// lessByKind: known kinds in install order first, then unknown kinds alphabetically.
func lessByKind(a, b string) bool {
	ra, aok := installRank[a]
	rb, bok := installRank[b]
	if !aok && !bok {
		if a != b {
			return a < b
		}
		return false
	}
	if !aok {
		return false
	}
	if !bok {
		return true
	}
	return ra < rb
}

// SortManifests splits and sorts the rendered files (partials and blank files skipped).
func SortManifests(files map[string]string) ([]*Hook, []Manifest, error) {
	var hooks []*Hook
	var generic []Manifest
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		content := files[p]
		if strings.HasPrefix(path.Base(p), "_") || strings.TrimSpace(content) == "" {
			continue
		}
		entries := SplitManifests(content)
		for _, key := range sortedManifestKeys(entries) {
			m := entries[key]
			var head SimpleHead
			if err := yaml.Unmarshal([]byte(m), &head); err != nil {
				return hooks, generic, fmt.Errorf("YAML parse error on %s: %w", p, err)
			}
			if head.Metadata == nil || len(head.Metadata.Annotations) == 0 {
				generic = append(generic, Manifest{Name: p, Content: m, Head: &head})
				continue
			}
			hookTypes, ok := head.Metadata.Annotations["helm.sh/hook"]
			if !ok {
				generic = append(generic, Manifest{Name: p, Content: m, Head: &head})
				continue
			}
			h := &Hook{Path: p, Manifest: m, Kind: head.Kind}
			unknown := false
			for _, t := range strings.Split(hookTypes, ",") {
				e, ok := hookEvents[strings.ToLower(strings.TrimSpace(t))]
				if !ok {
					unknown = true
					break
				}
				h.Events = append(h.Events, e)
			}
			if unknown {
				continue // Helm drops documents with an unknown hook type
			}
			hooks = append(hooks, h)
		}
	}
	sort.SliceStable(hooks, func(i, j int) bool { return lessByKind(hooks[i].Kind, hooks[j].Kind) })
	sort.SliceStable(generic, func(i, j int) bool { return lessByKind(generic[i].Head.Kind, generic[j].Head.Kind) })
	return hooks, generic, nil
}
