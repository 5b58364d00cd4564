#!/usr/bin/env python3
"""Writes a synthetic kbr platform folder for ci/bench (stdlib only, deterministic).

  genplatform.py --out DIR --requests N [--promises P] [--destinations D]
                 [--files N] [--image REF]

Layout of DIR (replaced if it exists):
  state-stores/default.yaml          GitStateStore `default` (kbr is given --state-url default=...)
  destinations/worker-<d>.yaml       D Destinations labelled bench.kbr.dev/target: "true"
  promises/bench-<p>/promise.yaml    P Promises: CRD Bench<p> (bench.kbr.dev/v1), selector
                                     matching every Destination, one resource.configure pipeline
                                     `configure` with one container running the bench image
  requests/bench-<p>/req-<i>.yaml    N requests req-00000.. in namespace default, request i of
                                     Promise bench-<i mod P>, spec.value "v1"

--files N gives request req-00000 spec.files: N, so its pipeline also writes N small files
(used to measure a commit of many files). Prints nothing; exit 1 on bad arguments.
"""
import argparse
import os
import shutil
import sys

GROUP = "bench.kbr.dev"
LABEL = "bench.kbr.dev/target"


def request_name(i):
    return "req-%05d" % i


def promise_name(p):
    return "bench-%d" % p


def request_path(i, promises):
    p = i % promises
    return os.path.join("requests", promise_name(p), request_name(i) + ".yaml")


def request_yaml(i, promises, value="v1", files=0):
    p = i % promises
    text = (
        "apiVersion: %s/v1\n"
        "kind: Bench%d\n"
        "metadata:\n"
        "  name: %s\n"
        "  namespace: default\n"
        "spec:\n"
        "  value: \"%s\"\n" % (GROUP, p, request_name(i), value)
    )
    if files:
        text += "  files: %d\n" % files
    return text


def promise_yaml(p, image):
    return """apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: {name}
spec:
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: bench{p}s.{group}
    spec:
      group: {group}
      names:
        kind: Bench{p}
        plural: bench{p}s
        singular: bench{p}
      scope: Namespaced
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  value:
                    type: string
                  files:
                    type: integer
                    minimum: 0
  destinationSelectors:
  - matchLabels:
      {label}: "true"
  workflows:
    resource:
      configure:
      - apiVersion: platform.kratix.io/v1alpha1
        kind: Pipeline
        metadata:
          name: configure
        spec:
          containers:
          - name: bench
            image: {image}
            imagePullPolicy: Never
""".format(name=promise_name(p), p=p, group=GROUP, label=LABEL, image=image)


def destination_yaml(d):
    return """apiVersion: platform.kratix.io/v1alpha1
kind: Destination
metadata:
  name: worker-{d}
  labels:
    {label}: "true"
spec:
  path: worker-{d}
  stateStoreRef:
    kind: GitStateStore
    name: default
""".format(d=d, label=LABEL)


STATE_STORE = """# The URL is a placeholder: ci/bench passes --state-url default=<bare repo>.
apiVersion: platform.kratix.io/v1alpha1
kind: GitStateStore
metadata:
  name: default
spec:
  url: https://git.example.com/bench/state.git
  branch: main
"""


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--requests", type=int, required=True)
    ap.add_argument("--promises", type=int, default=4)
    ap.add_argument("--destinations", type=int, default=3)
    ap.add_argument("--files", type=int, default=0)
    ap.add_argument("--image", default="kbr.local/bench-pipeline:v0.1.0")
    a = ap.parse_args(argv)
    if a.requests < 0 or a.promises < 1 or a.destinations < 1 or a.files < 0:
        ap.error("need --requests >= 0, --promises >= 1, --destinations >= 1, --files >= 0")
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    write(a.out, os.path.join("state-stores", "default.yaml"), STATE_STORE)
    for d in range(a.destinations):
        write(a.out, os.path.join("destinations", "worker-%d.yaml" % d), destination_yaml(d))
    for p in range(a.promises):
        write(a.out, os.path.join("promises", promise_name(p), "promise.yaml"), promise_yaml(p, a.image))
    for i in range(a.requests):
        files = a.files if i == 0 else 0
        write(a.out, request_path(i, a.promises), request_yaml(i, a.promises, files=files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
