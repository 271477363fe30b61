// Package packaging is the tests of the files that install, release,
// containerise and deploy wmsim; it holds no code.
//
// The files are the GitHub Action (action.yml), the project's CI workflow,
// the example workflows, the Kubernetes fleet Job, the GoReleaser
// configuration and the Dockerfile; the tests check them for the keys and the
// commands they must have, since none of them runs in this repository's own
// test suite.
package packaging
