#!/bin/sh
# CI setup for the Helm engine's differential tests: installs Go 1.19 and the Debian Go libraries
# the reference renderer uses (sprig 3.2.3, ghodss/yaml, yaml.v2/v3, go-toml, BurntSushi/toml,
# gobwas/glob, gojsonschema), then builds out/helm-ref/helm-ref. Run before `npm test`.
set -e
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
PKGS="golang-go golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev golang-gopkg-yaml.v2-dev
  golang-gopkg-yaml.v3-dev golang-github-pelletier-go-toml-dev golang-github-burntsushi-toml-dev
  golang-github-gobwas-glob-dev golang-github-xeipuuv-gojsonschema-dev"
# shellcheck disable=SC2086
if ! dpkg -s $PKGS >/dev/null 2>&1; then
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq $PKGS >/dev/null
fi
sh scripts/build-helm-ref.sh
echo "helm-ref: built out/helm-ref/helm-ref ($(go version | cut -d' ' -f3))"
