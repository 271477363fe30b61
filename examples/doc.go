// Package examples is a set of suites a user can copy to test their app's
// background scheduling with wmsimtest.
//
// They are examples/ginkgo (Ginkgo v2 + Gomega, with a DescribeTable over
// constraint combinations), examples/testify (a testify suite) and
// examples/readme (README's example). They import only the public packages
// and run with `go test ./...`.
package examples
