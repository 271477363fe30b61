// Package examples holds suites a user can copy to test their app's
// background scheduling with wmsimtest: examples/ginkgo (Ginkgo v2 +
// Gomega, with a DescribeTable over constraint combinations) and
// examples/testify (a testify suite). Both run with `go test ./...`.
package examples
