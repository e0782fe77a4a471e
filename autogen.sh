#!/bin/sh
# Generate configure and the Makefile templates (autoreconf does it all).
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --force --install --verbose "$@"
