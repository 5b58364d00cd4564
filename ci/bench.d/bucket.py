"""The bucket state store's passes next to the Git store's (ci/bench; docs/performance.md).

For each N of --bucket-ladder that the Git ladder measured, the Git state store its cold apply
wrote is copied into a bucket of a real S3 server on 127.0.0.1 (S3Proxy, the jar the build copies
to reconciler/target/s3proxy) through kbr's own adapters (dev.kbr.bench.StateStoreCopy), so no
pipeline runs again; then the same platform with a BucketStateStore gets the no-op and one-change
passes the Git store got (no --cache-dir on either side).
"""

import os
import re
import shutil
import socket
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
S3PROXY_JAR = os.path.join(ROOT, "reconciler", "target", "s3proxy", "s3proxy.jar")
CLASSPATH = os.pathsep.join([os.path.join(ROOT, "reconciler", "target", "kbr.jar"),
                             os.path.join(ROOT, "reconciler", "target", "test-classes")])
ACCESS_KEY = "kbr-bench"
SECRET_KEY = "kbr-bench-secret"
BUCKET = "bench"

BUCKET_STORE = """# ci/bench points it at its own S3 server with --state-url default=http://127.0.0.1:PORT/bench/nN.
apiVersion: platform.kratix.io/v1alpha1
kind: BucketStateStore
metadata:
  name: default
spec:
  bucketName: kratix
  endpoint: minio.example.com
  insecure: true
  secretRef:
    name: bench-bucket
    namespace: default
"""


class S3Proxy:
    """S3Proxy on a free port of 127.0.0.1 with the given jclouds backend; stop() ends it."""

    def __init__(self, work, backend, log):
        self.home = os.path.join(work, "s3proxy")
        shutil.rmtree(self.home, ignore_errors=True)
        os.makedirs(os.path.join(self.home, "data"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        props = os.path.join(self.home, "s3proxy.properties")
        with open(props, "w", encoding="utf-8") as f:
            f.write("s3proxy.endpoint=http://127.0.0.1:%d\n" % self.port)
            f.write("s3proxy.authorization=aws-v2-or-v4\n")
            f.write("s3proxy.identity=%s\ns3proxy.credential=%s\n" % (ACCESS_KEY, SECRET_KEY))
            f.write("s3proxy.ignore-unknown-headers=true\n")
            f.write("jclouds.provider=%s\n" % backend)
            f.write("jclouds.filesystem.basedir=%s\n" % os.path.join(self.home, "data"))
        self.log_file = open(os.path.join(self.home, "s3proxy.log"), "w", encoding="utf-8")
        self.proc = subprocess.Popen(["java", "-jar", S3PROXY_JAR, "--properties", props],
                                     stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    log("S3Proxy (%s) on 127.0.0.1:%d" % (backend, self.port))
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("S3Proxy did not start; see %s" % os.path.join(self.home, "s3proxy.log"))

    def url(self, prefix):
        return "http://127.0.0.1:%d/%s/%s" % (self.port, BUCKET, prefix)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log_file.close()


def bucket_platform(platform, dest):
    """A copy of a generated platform whose Destinations use a BucketStateStore."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(platform, dest)
    with open(os.path.join(dest, "state-stores", "default.yaml"), "w", encoding="utf-8") as f:
        f.write(BUCKET_STORE)
    for name in os.listdir(os.path.join(dest, "destinations")):
        path = os.path.join(dest, "destinations", name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace("kind: GitStateStore", "kind: BucketStateStore"))
    return dest


def secrets_dir(work):
    d = os.path.join(work, "bucket-secrets", "default", "bench-bucket")
    os.makedirs(d, exist_ok=True)
    for key, value in (("accessKeyID", ACCESS_KEY), ("secretAccessKey", SECRET_KEY)):
        with open(os.path.join(d, key), "w", encoding="utf-8") as f:
            f.write(value)
    return os.path.dirname(os.path.dirname(d))


def run(bench, genplatform, promises, median, log):
    """Measures the bucket passes for each N of bench.a.bucket_ladder; results in bench.res["bucket"]."""
    a = bench.a
    results = bench.res.setdefault("bucket", [])
    todo = [e for e in bench.res["ladder"] if e["n"] in a.bucket_ladder and e.get("repo") and e["noop"]]
    if not todo:
        return
    if not os.path.exists(S3PROXY_JAR):
        bench.res["notes"].append("the bucket passes were not measured: %s is missing (mvn package)" % S3PROXY_JAR)
        return
    server = S3Proxy(bench.work, a.bucket_backend, log)
    try:
        secrets = ["--secrets-dir", secrets_dir(bench.work)]
        for git in todo:
            n = git["n"]
            entry = {"n": n, "noop": [], "change": [], "rss": [], "noop_runs": [], "change_runs": [],
                     "copy": None, "backend": a.bucket_backend}
            results.append(entry)
            if bench.remaining() < 4 * (median(git["noop"]) + median(git["change"])) * a.runs:
                entry["skipped"] = "not enough of the budget left"
                continue
            w = os.path.join(bench.work, "bucket-n%d" % n)
            os.makedirs(w, exist_ok=True)
            log("bucket N=%d: copying the Git state store into the bucket" % n)
            t0 = time.monotonic()
            out = subprocess.run(
                ["java", "-cp", CLASSPATH, "dev.kbr.bench.StateStoreCopy", git["repo"], "main",
                 "http://127.0.0.1:%d" % server.port, BUCKET, "n%d" % n, ACCESS_KEY, SECRET_KEY, "default"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if out.returncode != 0:
                entry["skipped"] = "copying the state store failed: " + out.stdout.strip().splitlines()[-1]
                continue
            entry["copy"] = time.monotonic() - t0
            log("  " + out.stdout.strip().splitlines()[-1])
            plat = bucket_platform(git["platform"], os.path.join(bench.work, "platform-bucket-n%d" % n))
            url = server.url("n%d" % n)
            # The copied records name paths without the bucket prefix; one pass rewrites them.
            bench.kbr.pass_("apply", plat, url, w, bench.pass_timeout(), detailed=True, expect=(0, 2), extra=secrets)
            for r in range(a.runs):
                res = bench.kbr.pass_("apply", plat, url, w, bench.pass_timeout(), detailed=True, expect=(0, 2),
                                      extra=secrets)
                entry["noop"].append(res["wall"])
                entry["rss"].append(res["rss_mb"])
                entry["noop_runs"].append(res["runs"])
                log("  bucket no-op pass %d: %.2f s, %d pipelines run, exit %d" % (
                    r + 1, res["wall"], res["runs"], res["rc"]))
            k = n // 2
            req_file = os.path.join(plat, genplatform.request_path(k, promises))
            for r in range(a.runs):
                with open(req_file, "w", encoding="utf-8") as f:
                    f.write(genplatform.request_yaml(k, promises, value="bucket-%d" % r))
                res = bench.kbr.pass_("apply", plat, url, w, bench.pass_timeout(), detailed=True, expect=(0, 2),
                                      extra=secrets)
                entry["change"].append(res["wall"])
                entry["rss"].append(res["rss_mb"])
                entry["change_runs"].append(res["runs"])
                log("  bucket one-change pass %d: %.2f s, %d pipelines run, exit %d" % (
                    r + 1, res["wall"], res["runs"], res["rc"]))
    finally:
        server.stop()


def report(bench, p, fmt_n, fmt_s, median):
    """The table of the bucket passes next to the Git ones (cold: no --cache-dir on either side)."""
    rows = bench.res.get("bucket") or []
    if not rows:
        return
    git = {e["n"]: e for e in bench.res["ladder"]}
    p("")
    p("The bucket state store (S3Proxy 3.0.0, `%s` backend, on 127.0.0.1; the state the Git store's cold apply "
      "wrote, copied into the bucket; median of the runs; goal: no-op at 10,000 requests within 2 × the Git "
      "store's):" % rows[0]["backend"])
    p("")
    p("| N requests | Git no-op | bucket no-op | ratio | Git one-change | bucket one-change | ratio | pipelines run (no-op / one-change) | bucket peak RSS |")
    p("|---|---|---|---|---|---|---|---|---|")
    for e in rows:
        g = git.get(e["n"])
        if e.get("skipped") or not e["noop"]:
            p("| %s | | not measured: %s | | | | | | |" % (fmt_n(e["n"]), e.get("skipped", "no run")))
            continue
        gn, gc = median(g["noop"]), median(g["change"])
        bn = median(e["noop"])
        bc = median(e["change"]) if e["change"] else None
        p("| %s | %s | %s | %.2f × | %s | %s | %s | %s / %s | %.0f MB |" % (
            fmt_n(e["n"]), fmt_s(gn), fmt_s(bn), bn / gn, fmt_s(gc), fmt_s(bc),
            "%.2f ×" % (bc / gc) if bc else "-",
            "/".join(str(x) for x in sorted(set(e["noop_runs"]))),
            "/".join(str(x) for x in sorted(set(e["change_runs"]))), max(e["rss"])))
