package packaging

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the repository's root, from this package's directory.
const root = "../.."

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, path))
	require.NoError(t, err)
	return b
}

// load parses one YAML document strictly enough to catch what GitHub or
// Kubernetes would reject: a syntax error, a duplicate key.
func load(t *testing.T, path string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, yaml.UnmarshalWithOptions(read(t, path), &m, yaml.Strict()), path)
	return m
}

// loadAll parses every document of a multi-document YAML file.
func loadAll(t *testing.T, path string) []map[string]any {
	t.Helper()
	var out []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(read(t, path)), yaml.Strict())
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if err != nil {
			require.ErrorContains(t, err, "EOF", path)
			break
		}
		out = append(out, m)
	}
	return out
}

// get walks keys and indexes ("jobs", "shard", "steps", 0) through parsed
// YAML, failing the test where the path does not exist.
func get(t *testing.T, v any, path ...any) any {
	t.Helper()
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			require.True(t, ok, "%v: not a mapping at %v", path[:i], v)
			v, ok = m[k]
			require.True(t, ok, "missing key %q at %v", k, path[:i])
		case int:
			s, ok := v.([]any)
			require.True(t, ok, "%v: not a list", path[:i])
			require.Less(t, k, len(s), "%v: too short", path[:i])
			v = s[k]
		}
	}
	return v
}

func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, ok := get(t, v, path...).(string)
	require.True(t, ok, "%v is not a string", path)
	return s
}

func list(t *testing.T, v any, path ...any) []any {
	t.Helper()
	s, ok := get(t, v, path...).([]any)
	require.True(t, ok, "%v is not a list", path)
	return s
}

// The composite action: its inputs, and a run step that calls wmsim run
// with --junit and fails the job with wmsim's exit code.
func TestAction(t *testing.T) {
	a := load(t, "action.yml")
	for _, k := range []string{"name", "description"} {
		assert.NotEmpty(t, str(t, a, k))
	}
	inputs := get(t, a, "inputs").(map[string]any)
	for _, in := range []string{"scenarios", "platform", "plugin-release", "version"} {
		require.Contains(t, inputs, in)
		assert.NotEmpty(t, str(t, inputs, in, "description"), in)
	}
	assert.Equal(t, true, get(t, inputs, "scenarios", "required"))
	assert.Equal(t, "latest", str(t, inputs, "version", "default"))
	assert.Equal(t, "composite", str(t, a, "runs", "using"))
	steps := list(t, a, "runs", "steps")
	require.NotEmpty(t, steps)
	var install, run string
	for i, s := range steps {
		m := s.(map[string]any)
		if _, ok := m["run"]; ok {
			assert.NotEmpty(t, m["shell"], "step %d: a composite run step needs a shell", i)
			body := str(t, m, "run")
			if strings.Contains(body, "go install") {
				install = body
			}
			if strings.Contains(body, "run --junit") {
				run = body
			}
		} else {
			assert.Contains(t, m, "uses", "step %d is neither run nor uses", i)
		}
	}
	assert.Contains(t, install, `github.com/wmsim/wmsim/cmd/wmsim@${WMSIM_VERSION}`)
	assert.Contains(t, run, `--platform "$WMSIM_PLATFORM"`)
	assert.Contains(t, run, `--plugin "$WMSIM_PLUGIN"`)
	assert.Contains(t, run, `exit "$code"`, "the job fails with wmsim's exit code (1: an expectation failed)")
	// Inputs reach the shell through the environment only: ${{ }} inside a
	// script would let an input inject commands.
	assert.NotContains(t, run, "${{")
	assert.NotContains(t, install, "${{")
}

// The project's own CI runs .ci/run.
func TestCIWorkflow(t *testing.T) {
	w := load(t, ".github/workflows/ci.yml")
	assert.NotEmpty(t, get(t, w, "on"))
	jobs := get(t, w, "jobs").(map[string]any)
	require.Len(t, jobs, 1)
	var runs []string
	for _, job := range jobs {
		assert.NotEmpty(t, str(t, job, "runs-on"))
		for _, s := range list(t, job, "steps") {
			if r, ok := s.(map[string]any)["run"].(string); ok {
				runs = append(runs, r)
			}
		}
	}
	assert.Equal(t, []string{".ci/run"}, runs)
}

// The example that uses the action, in docs/ci.md word for word.
func TestActionExampleWorkflow(t *testing.T) {
	w := load(t, "examples/github-actions/scenarios.yml")
	var used int
	for _, job := range get(t, w, "jobs").(map[string]any) {
		for _, s := range list(t, job, "steps") {
			m := s.(map[string]any)
			if strings.HasPrefix(fmt.Sprint(m["uses"]), "wmsim/wmsim@") {
				used++
				assert.NotEmpty(t, str(t, m, "with", "scenarios"))
			}
		}
	}
	assert.Equal(t, 2, used, "the action on both platforms")
	assert.Contains(t, string(read(t, "docs/ci.md")), string(read(t, "examples/github-actions/scenarios.yml")))
}

// The GitHub Actions fleet matrix: one job per shard index 0..n-1 with n the
// --shard denominator, and a merge job after them.
func TestFleetMatrixWorkflow(t *testing.T) {
	w := load(t, "examples/github-actions/fleet-matrix.yml")
	n, err := strconv.Atoi(fmt.Sprint(get(t, w, "env", "SHARDS")))
	require.NoError(t, err)
	shards := list(t, w, "jobs", "shard", "strategy", "matrix", "shard")
	require.Len(t, shards, n)
	for i, s := range shards {
		assert.Equal(t, fmt.Sprint(i), fmt.Sprint(s))
	}
	var fleet string
	for _, s := range list(t, w, "jobs", "shard", "steps") {
		if r, ok := s.(map[string]any)["run"].(string); ok && strings.Contains(r, "wmsim fleet") {
			fleet = r
		}
	}
	assert.Contains(t, fleet, "--shard ${{ matrix.shard }}/${{ env.SHARDS }}")
	assert.Contains(t, fleet, "--format json --out shard-${{ matrix.shard }}.json")
	assert.Equal(t, "shard", str(t, w, "jobs", "merge", "needs"))
	var merge string
	for _, s := range list(t, w, "jobs", "merge", "steps") {
		if r, ok := s.(map[string]any)["run"].(string); ok && strings.Contains(r, "wmsim merge") && merge == "" {
			merge = r
		}
	}
	assert.Contains(t, merge, "wmsim merge shard-*.json")
}

// The Kubernetes Indexed Job: completions = the --shard denominator, each
// pod's shard index from its completion index, its output on the shared
// volume, and a merge Job naming every shard's file.
func TestKubernetesFleetJob(t *testing.T) {
	docs := loadAll(t, "deploy/kubernetes/fleet-job.yaml")
	jobs := map[string]map[string]any{}
	kinds := map[string]int{}
	for _, d := range docs {
		kinds[str(t, d, "kind")]++
		if str(t, d, "kind") == "Job" {
			jobs[str(t, d, "metadata", "name")] = d
		}
		step := str(t, d, "metadata", "labels", "wmsim.dev/step")
		assert.Contains(t, []string{"shards", "merge"}, step, "every object is applied by one of the two steps")
	}
	assert.Equal(t, map[string]int{"Job": 2, "PersistentVolumeClaim": 1}, kinds)

	shards := jobs["wmsim-fleet"]
	require.NotNil(t, shards)
	assert.Equal(t, "batch/v1", str(t, shards, "apiVersion"))
	assert.Equal(t, "Indexed", str(t, shards, "spec", "completionMode"))
	n, err := strconv.Atoi(fmt.Sprint(get(t, shards, "spec", "completions")))
	require.NoError(t, err)
	require.Greater(t, n, 1)
	assert.Equal(t, "Never", str(t, shards, "spec", "template", "spec", "restartPolicy"))
	c := get(t, shards, "spec", "template", "spec", "containers", 0)
	env := get(t, c, "env", 0)
	assert.Equal(t, "SHARD_INDEX", str(t, env, "name"))
	assert.Equal(t, "metadata.annotations['batch.kubernetes.io/job-completion-index']", str(t, env, "valueFrom", "fieldRef", "fieldPath"))
	var args []string
	for _, a := range list(t, c, "args") {
		args = append(args, fmt.Sprint(a))
	}
	assert.Equal(t, "fleet", args[0])
	assert.Contains(t, args, fmt.Sprintf("--shard=$(SHARD_INDEX)/%d", n))
	assert.Contains(t, args, "--format=json")
	assert.Contains(t, args, "--out=/shared/shard-$(SHARD_INDEX).json")
	assert.Regexp(t, `^/scenarios/`, args[1], "scenarios are mounted at /scenarios")
	mounts := map[string]bool{}
	for _, m := range list(t, c, "volumeMounts") {
		mounts[str(t, m, "mountPath")] = true
	}
	assert.True(t, mounts["/shared"] && mounts["/scenarios"])
	assert.Equal(t, true, get(t, shards, "spec", "template", "spec", "securityContext", "runAsNonRoot"))

	merge := jobs["wmsim-fleet-merge"]
	require.NotNil(t, merge)
	var margs []string
	for _, a := range list(t, merge, "spec", "template", "spec", "initContainers", 0, "args") {
		margs = append(margs, fmt.Sprint(a))
	}
	assert.Equal(t, "merge", margs[0])
	var files []string
	for _, a := range margs[1:] {
		if !strings.HasPrefix(a, "--") {
			files = append(files, a)
		}
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprintf("/shared/shard-%d.json", i))
	}
	assert.Equal(t, want, files, "the merge names every shard, so a missing one fails it")

	// The usage in the file's header applies the two steps by label.
	header := string(read(t, "deploy/kubernetes/fleet-job.yaml"))
	assert.Contains(t, header, "kubectl apply -f fleet-job.yaml -l wmsim.dev/step=shards")
	assert.Contains(t, header, "kubectl apply -f fleet-job.yaml -l wmsim.dev/step=merge")
}

// GoReleaser: the six targets, checksums, the version in the binary (from
// the VCS stamp that `wmsim version` reads).
// (`goreleaser check` in .ci/run validates the rest against GoReleaser's own
// schema.)
func TestGoReleaser(t *testing.T) {
	g := load(t, ".goreleaser.yaml")
	assert.Equal(t, "2", fmt.Sprint(get(t, g, "version")))
	b := get(t, g, "builds", 0)
	assert.Equal(t, "./cmd/wmsim", str(t, b, "main"))
	var goos, goarch []string
	for _, v := range list(t, b, "goos") {
		goos = append(goos, fmt.Sprint(v))
	}
	for _, v := range list(t, b, "goarch") {
		goarch = append(goarch, fmt.Sprint(v))
	}
	assert.ElementsMatch(t, []string{"linux", "darwin", "windows"}, goos)
	assert.ElementsMatch(t, []string{"amd64", "arm64"}, goarch)
	assert.Contains(t, fmt.Sprint(get(t, b, "env")), "CGO_ENABLED=0")
	assert.Contains(t, fmt.Sprint(get(t, b, "flags")), "-buildvcs=true", "wmsim version reads the VCS stamp")
	assert.Equal(t, "sha256", str(t, g, "checksum", "algorithm"))
	assert.NotEmpty(t, str(t, g, "checksum", "name_template"))
}

// The Dockerfile: multi-stage, a static non-root runtime image, scenarios
// at /scenarios, wmsim as the entry point, cgo either way.
func TestDockerfile(t *testing.T) {
	df := string(read(t, "Dockerfile"))
	from := regexp.MustCompile(`(?m)^FROM\s+(\S+)(?:\s+AS\s+(\S+))?`).FindAllStringSubmatch(df, -1)
	require.Len(t, from, 2, "a build stage and a runtime stage")
	assert.Equal(t, "build", from[0][2])
	assert.Equal(t, "${BASE}", from[1][1])
	assert.Contains(t, df, "ARG BASE=gcr.io/distroless/static-debian12:nonroot")
	assert.Regexp(t, `(?m)^USER 65532:65532$`, df, "not root")
	assert.Regexp(t, `(?m)^WORKDIR /scenarios$`, df)
	assert.Regexp(t, `(?m)^ENTRYPOINT \["/usr/local/bin/wmsim"\]$`, df, "exec form")
	assert.Regexp(t, `(?m)^COPY --from=build /out/wmsim /usr/local/bin/wmsim$`, df)
	assert.Contains(t, df, "ARG CGO_ENABLED=0")
	assert.Contains(t, df, "-extldflags=-static", "with cgo on, still a static binary for the static base")
	assert.NotRegexp(t, `(?m)^ADD\s`, df)
	assert.NotRegexp(t, `(?m)^FROM\s+\S+:latest`, df)
	assert.Contains(t, df, "-buildvcs=true")
	ignore := string(read(t, ".dockerignore"))
	assert.NotRegexp(t, `(?m)^\.git$`, ignore, "the build stamps the revision from .git")
	assert.Contains(t, ignore, "dist")
}
