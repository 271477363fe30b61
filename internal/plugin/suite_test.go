package plugin

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestPluginSuite(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "plugin: user problems (flutter-workmanager.md §6)")
}
