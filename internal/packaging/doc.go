// Package packaging holds no code: its tests check the files that install,
// release, containerise and deploy wmsim — the GitHub Action (action.yml),
// the project's CI workflow, the example workflows, the Kubernetes fleet Job,
// the GoReleaser configuration and the Dockerfile — for the keys and the
// commands they must have, since none of them runs in this repository's own
// test suite.
package packaging
