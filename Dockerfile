# syntax=docker/dockerfile:1
# The wmsim CLI in a small static image: no shell, no package manager, runs as
# an unprivileged user. Scenarios are mounted at /scenarios (the working
# directory), results written there or to another mounted directory:
#
#   docker build -t wmsim .
#   docker run --rm -v "$PWD/scenarios:/scenarios" wmsim run my-app.yaml --junit junit.xml
#
# Build arguments:
#   CGO_ENABLED  0 (default): a pure-Go binary. 1: cgo on, still linked
#                statically (for a cgo dependency), so the same base works.
#   BASE         the runtime image; distroless/static has CA certificates,
#                /etc/passwd with the nonroot user (65532), and nothing else.

ARG GO_VERSION=1.26
ARG BASE=gcr.io/distroless/static-debian12:nonroot

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Dependencies first, so that source edits do not download them again. The
# context includes .git: `wmsim version` reports the revision Go stamps.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG CGO_ENABLED=0
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    ext=""; \
    if [ "$CGO_ENABLED" = "1" ]; then ext="-linkmode=external -extldflags=-static"; fi; \
    CGO_ENABLED="$CGO_ENABLED" go build -trimpath -buildvcs=true \
      -ldflags="-s -w $ext" \
      -o /out/wmsim ./cmd/wmsim \
    && /out/wmsim scenarios >/dev/null

FROM ${BASE}
COPY --from=build /out/wmsim /usr/local/bin/wmsim
WORKDIR /scenarios
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/wmsim"]
CMD ["--help"]
