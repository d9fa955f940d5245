#!/bin/sh
# Builds the reference Helm renderer (test/helm/reference, Go 1.19 + Debian's Go libraries) into
# out/helm-ref/helm-ref, in GOPATH mode: the sources are copied to .gopath/src/helmref so that its
# packages are named as Helm's (common.Values, engine.files, version.BuildInfo).
set -e
cd "$(dirname "$0")/.."
rm -rf .gopath/src/helmref
mkdir -p .gopath/src out/helm-ref
cp -r test/helm/reference .gopath/src/helmref
GO111MODULE=off GOPATH=/usr/share/gocode:$PWD/.gopath GOFLAGS= GOCACHE="${GOCACHE:-$PWD/.gopath/cache}" \
  go build -o out/helm-ref/helm-ref helmref
