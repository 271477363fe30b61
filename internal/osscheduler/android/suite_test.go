package android

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestAndroidSpecs(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "osscheduler/android behaviours")
}
