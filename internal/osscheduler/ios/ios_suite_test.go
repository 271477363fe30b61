package ios

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestIOSSpecs(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "osscheduler/ios")
}
