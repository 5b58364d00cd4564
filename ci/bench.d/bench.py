#!/usr/bin/env python3
"""The measuring part of ci/bench (stdlib only). ci/bench sets up the engine, the images and the
jar, then runs this. Progress goes to stderr, results (Markdown tables, then one machine-readable
line) to stdout. Exits 0 whether goals are met or not; 1 when something broke (kbr exited 1, a
pipeline failed, a baseline command failed), 2 on bad arguments.

Figures (issue #4):
  P1  cold apply of N1 requests (empty bare repo) vs the same containers run by raw `docker run`
      at the same parallelism (xargs -P), and vs a shell loop of `docker run` into a checkout
      followed by `git add -A && git commit`.
  P2  a no-op `kbr apply` after a cold apply of N requests (the largest N of the scaling ladder
      that was measured); wall time and peak RSS (/usr/bin/time -v).
  P3  one request's spec changed among N: pipelines run, files the commit touches, wall time.
  P4  one request whose pipeline writes F files: kbr's wall time minus its pipeline's run time vs
      `git add -A && git commit` of the same tree in a checkout.
Scaling: the no-op and one-change passes for each N of the ladder that fits the time budget.
"""
import argparse
import json
import datetime
import os
import platform as pyplatform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import genplatform  # noqa: E402
import bucket  # noqa: E402

KBR = os.path.join(ROOT, "kbr")
IMAGE = "kbr.local/bench-pipeline:v0.1.0"
PROMISES = 4
DESTINATIONS = 3
TIMED_OUT = 124  # exit code of timeout(1)

RUN_LINE = re.compile(r"^  (ok|FAILED) +(\S+) (\S+) (\S+) \(([0-9.]+)s(?:, [^)]*)?\)")
# ci/bench passes its own start (epoch seconds) so that the budget covers the image and jar builds
START = time.monotonic() - max(0.0, time.time() - float(os.environ.get("KBR_BENCH_START", time.time())))


class Broken(Exception):
    """Something failed that a measurement cannot continue from."""


LOADS = []


def sample_load():
    try:
        with open("/proc/loadavg", encoding="utf-8") as f:
            LOADS.append(float(f.read().split()[0]))
    except (OSError, ValueError, IndexError):
        pass


def log(msg):
    print("[bench %6.1fs] %s" % (time.monotonic() - START, msg), file=sys.stderr, flush=True)


def sh(cmd, **kw):
    """Runs cmd (a list), returns stdout; raises Broken on a non-zero exit."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        raise Broken("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()[-2000:]))
    return p.stdout


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    if x is None:
        return "-"
    return "%.2f s" % x if x < 100 else "%.0f s" % x


def fmt_n(n):
    return "{:,}".format(n)


# ---------------------------------------------------------------------------------------------
# kbr


class Kbr:
    def __init__(self, parallelism, has_parallelism):
        self.parallelism = parallelism
        self.has_parallelism = has_parallelism

    def flags(self, platform_dir, repo):
        f = ["--platform", platform_dir, "--state-url", "default=" + repo, "--pipeline-network", "none"]
        if self.has_parallelism:
            f += ["--parallelism", str(self.parallelism)]
        return f

    def pass_(self, command, platform_dir, repo, work, timeout, detailed=False, expect=(0,), extra=()):
        """One `kbr <command>`: wall seconds, peak RSS (MB), exit code, pipeline runs."""
        tfile = os.path.join(work, "time.txt")
        args = [command] + self.flags(platform_dir, repo) + (["--detailed-exitcode"] if detailed else []) + list(extra)
        cmd = ["/usr/bin/time", "-v", "-o", tfile, "timeout", "-k", "10", str(int(max(timeout, 5))), KBR] + args
        t0 = time.monotonic()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        sample_load()
        rc = p.returncode
        rss_kb = 0
        try:
            with open(tfile, encoding="utf-8") as f:
                for line in f:
                    if "Maximum resident set size" in line:
                        rss_kb = int(line.rsplit(":", 1)[1].strip())
                    m = re.search(r"Command exited with non-zero status (\d+)", line)
                    if m:
                        rc = int(m.group(1))
        except OSError:
            pass
        runs, failed, durations = 0, 0, {}
        for line in p.stdout.splitlines():
            m = RUN_LINE.match(line)
            if m:
                runs += 1
                if m.group(1) == "FAILED":
                    failed += 1
                durations[m.group(2)] = float(m.group(5))
        result = {
            "wall": wall,
            "rss_mb": rss_kb / 1024.0,
            "rc": rc,
            "runs": runs,
            "failed": failed,
            "durations": durations,
            "timed_out": rc == TIMED_OUT or rc == 137,
        }
        if result["timed_out"]:
            log("  kbr %s timed out after %.0f s" % (command, wall))
            return result
        if rc not in expect or failed:
            with open(os.path.join(work, "kbr-failed.txt"), "w", encoding="utf-8") as f:
                f.write(p.stdout + "\n--- stderr\n" + p.stderr)
            tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
            raise Broken("kbr %s exited %d (%d pipelines FAILED), expected %s:\n%s"
                         % (command, rc, failed, "/".join(map(str, expect)), tail))
        return result


def new_bare(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    sh(["git", "init", "-q", "--bare", "-b", "main", path])
    return path


def git_count_files(repo):
    out = sh(["git", "--git-dir", repo, "ls-tree", "-r", "--name-only", "main"])
    return len(out.splitlines())


# ---------------------------------------------------------------------------------------------
# baselines


def write_run_list(work, n):
    """Inputs of the baselines: one object.yaml per request and a list 'index name promise dest'."""
    inputs = os.path.join(work, "inputs")
    os.makedirs(inputs, exist_ok=True)
    lines = []
    for i in range(n):
        name = genplatform.request_name(i)
        with open(os.path.join(inputs, name + ".yaml"), "w", encoding="utf-8") as f:
            f.write(genplatform.request_yaml(i, PROMISES))
        lines.append("%d %s %s worker-%d\n" % (i, name, genplatform.promise_name(i % PROMISES), i % DESTINATIONS))
    listing = os.path.join(work, "requests.txt")
    with open(listing, "w", encoding="utf-8") as f:
        f.writelines(lines)
    return inputs, listing


def raw_docker(work, inputs, listing, parallelism, timeout):
    """The same containers by raw `docker run`, xargs -P <parallelism>, output to temp dirs."""
    out = os.path.join(work, "raw-out")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    cmd = ["timeout", "-k", "10", str(int(timeout)), "xargs", "-a", listing, "-P", str(parallelism), "-L", "1",
           os.path.join(HERE, "docker-run-one"), IMAGE, inputs, out]
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        raise Broken("raw docker baseline failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-2000:]))
    return wall


def naive_loop(work, inputs, listing, timeout):
    """A shell loop of `docker run` writing into a git checkout, then `git add -A && git commit`."""
    checkout = os.path.join(work, "naive-checkout")
    if os.path.exists(checkout):
        shutil.rmtree(checkout)
    sh(["git", "init", "-q", "-b", "main", checkout])
    cmd = ["timeout", "-k", "10", str(int(timeout)), os.path.join(HERE, "naive-loop"), IMAGE, inputs, listing, checkout]
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        raise Broken("naive baseline failed (exit %d): %s" % (p.returncode, p.stderr.strip()[-2000:]))
    return wall


def git_commit_baseline(work, repo):
    """`git add -A && git commit` of the tree at repo's main, extracted into a fresh checkout."""
    checkout = os.path.join(work, "p4-checkout")
    if os.path.exists(checkout):
        shutil.rmtree(checkout)
    sh(["git", "init", "-q", "-b", "main", checkout])
    sh(["sh", "-c", 'git --git-dir "$1" archive main | tar -x -C "$2"', "sh", repo, checkout])
    # gc.auto=0: a detached auto-gc after adding 30,000 loose objects would race the next rmtree
    cmd = ["sh", "-c", "git -c gc.auto=0 add -A && "
           "git -c gc.auto=0 -c user.name=bench -c user.email=bench@localhost commit -q -m bench"]
    t0 = time.monotonic()
    p = subprocess.run(cmd, cwd=checkout, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        raise Broken("git add/commit baseline failed: " + p.stderr.strip()[-2000:])
    files = len(sh(["git", "ls-files"], cwd=checkout).splitlines())
    return wall, files


# ---------------------------------------------------------------------------------------------
# the bench


class Bench:
    def __init__(self, args, kbr):
        self.a = args
        self.kbr = kbr
        self.work = args.work
        self.deadline = START + args.budget
        self.res = {"notes": [], "ladder": []}

    def remaining(self):
        return self.deadline - time.monotonic()

    def pass_timeout(self):
        return max(30, min(self.a.pass_timeout, self.remaining()))

    def platform(self, name, n, files=0):
        d = os.path.join(self.work, name)
        genplatform.main(["--out", d, "--requests", str(n), "--promises", str(PROMISES),
                          "--destinations", str(DESTINATIONS), "--files", str(files), "--image", IMAGE])
        return d

    # fixed costs -----------------------------------------------------------------------------
    def fixed(self):
        log("fixed costs: JVM start (kbr --version) and a pass over a platform without requests")
        walls = []
        for _ in range(1 if self.a.quick else 3):
            t0 = time.monotonic()
            sh([KBR, "--version"])
            walls.append(time.monotonic() - t0)
        self.res["jvm"] = median(walls)
        plat = self.platform("platform-0", 0)
        repo = new_bare(os.path.join(self.work, "state-0.git"))
        w = os.path.join(self.work, "w0")
        os.makedirs(w, exist_ok=True)
        self.kbr.pass_("apply", plat, repo, w, self.pass_timeout())
        n = 1 if self.a.quick else 3
        walls = [self.kbr.pass_("apply", plat, repo, w, self.pass_timeout())["wall"] for _ in range(n)]
        self.res["empty_pass"] = median(walls)
        self.res["empty_pass_runs"] = n
        log("  kbr --version %.2f s, no-op pass without requests %.2f s" % (self.res["jvm"], self.res["empty_pass"]))

    # P1 -----------------------------------------------------------------------------------------
    def p1(self):
        n = self.a.p1_requests
        par = self.kbr.parallelism
        log("P1: cold apply of %d requests (%d Promises, %d Destinations), parallelism %d, %d runs"
            % (n, PROMISES, DESTINATIONS, par, self.a.runs))
        plat = self.platform("platform-p1", n)
        w = os.path.join(self.work, "p1")
        os.makedirs(w, exist_ok=True)
        inputs, listing = write_run_list(w, n)
        kbr, rss, raw, naive = [], [], [], []
        repo = None
        for r in range(self.a.runs):
            repo = new_bare(os.path.join(w, "state-%d.git" % r))
            res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout())
            if res["timed_out"]:
                raise Broken("P1 cold apply timed out")
            if res["runs"] != n:
                raise Broken("P1 cold apply ran %d pipelines, expected %d" % (res["runs"], n))
            kbr.append(res["wall"])
            rss.append(res["rss_mb"])
            raw.append(raw_docker(w, inputs, listing, par, self.pass_timeout()))
            naive.append(naive_loop(w, inputs, listing, self.pass_timeout()))
            log("  run %d: kbr %.2f s (%.0f MB), raw docker run -P %d %.2f s, shell loop + git %.2f s"
                % (r + 1, kbr[-1], rss[-1], par, raw[-1], naive[-1]))
        self.res["p1"] = {"n": n, "kbr": kbr, "rss": rss, "raw": raw, "naive": naive}
        # the last cold apply is the first rung of the ladder when N matches
        self.p1_state = (n, plat, repo, median(kbr))

    # P4 -----------------------------------------------------------------------------------------
    def p4(self):
        files = self.a.p4_files
        log("P4: one request whose pipeline writes %d files; kbr apply vs git add -A && git commit, %d runs"
            % (files, self.a.runs))
        plat = self.platform("platform-p4", 1, files=files)
        w = os.path.join(self.work, "p4")
        os.makedirs(w, exist_ok=True)
        kbr_total, kbr_pipeline, kbr_rest, rss, git = [], [], [], [], []
        committed = 0
        for r in range(self.a.runs):
            repo = new_bare(os.path.join(w, "state.git"))
            try:
                res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout())
            except Broken as e:
                self.res["p4"] = {"files": files, "error": str(e).splitlines()[0]}
                self.res["notes"].append("P4: kbr could not commit %d files: %s" % (files, str(e)))
                log("  " + str(e))
                return
            if res["timed_out"]:
                self.res["p4"] = {"files": files, "error": "kbr apply timed out"}
                return
            d = sum(res["durations"].values())
            kbr_total.append(res["wall"])
            kbr_pipeline.append(d)
            kbr_rest.append(res["wall"] - d)
            rss.append(res["rss_mb"])
            g, committed = git_commit_baseline(w, repo)
            git.append(g)
            log("  run %d: kbr %.2f s (pipeline %.2f s, rest %.2f s, %.0f MB); git add+commit of %d files %.2f s"
                % (r + 1, res["wall"], d, res["wall"] - d, res["rss_mb"], committed, g))
        self.res["p4"] = {"files": files, "committed": committed, "kbr_total": kbr_total,
                          "kbr_pipeline": kbr_pipeline, "kbr_rest": kbr_rest, "rss": rss, "git": git}

    # scaling ladder (P2, P3) -----------------------------------------------------------------------
    def project(self, n, measured_n, measured_wall):
        """Linear model a + b*N through the pass without requests and one measured point."""
        a = self.res.get("empty_pass", 1.0)
        b = max(0.0, (measured_wall - a) / max(1, measured_n))
        return a + b * n

    def ladder(self):
        prev = None  # (n, noop wall, change wall)
        for n in self.a.ladder:
            entry = {"n": n, "validate": None, "status": None, "noop": [], "noop_rss": [], "noop_runs": [], "noop_rc": [],
                     "change": [], "change_rss": [], "change_runs": [], "change_container": [],
                     "touched": [], "foreign": [], "skipped": None, "cold": None}
            self.res["ladder"].append(entry)
            reuse = self.p1_state and self.p1_state[0] == n
            cold_proj = 0.0
            if not reuse:
                p1n, _, _, p1wall = self.p1_state
                cold_proj = self.project(n, p1n, p1wall)
            if prev:
                noop_proj = self.project(n, prev[0], prev[1])
                change_proj = self.project(n, prev[0], prev[2])
            else:  # nothing measured yet: assume every pipeline runs again (no caching)
                noop_proj = change_proj = cold_proj if not reuse else self.p1_state[3]
            pass_proj = max(noop_proj, change_proj)
            runs = self.a.runs if pass_proj <= self.a.slow_pass else 1
            # the passes without and with a warm --cache-dir, and the priming pass of the cache
            need = cold_proj + 2 * runs * (noop_proj + change_proj) + noop_proj
            if need > self.remaining() and self.res["ladder"][0] is not entry:
                entry["skipped"] = ("projected %.0f s (cold apply %.0f s + 2 x %d x (%.0f s + %.0f s)) > %.0f s left "
                                    "of the %.0f s budget" % (need, cold_proj, runs, noop_proj, change_proj,
                                                              max(0, self.remaining()), self.a.budget))
                log("N=%d skipped: %s" % (n, entry["skipped"]))
                continue
            if runs < self.a.runs:
                entry["runs_note"] = "1 run: a pass is projected at %.0f s > --slow-pass %.0f s" % (
                    pass_proj, self.a.slow_pass)
            w = os.path.join(self.work, "n%d" % n)
            os.makedirs(w, exist_ok=True)
            kept = os.path.join(w, "cold.json")
            if reuse:
                _, plat, repo, _ = self.p1_state
                log("N=%d: reusing the state of P1's last cold apply" % n)
            elif os.path.exists(kept):
                # --work DIR --keep of an earlier run: its platform and state agree, skip the cold apply
                with open(kept, encoding="utf-8") as f:
                    cold = json.load(f)
                plat, repo = cold["platform"], cold["repo"]
                entry["cold"] = cold["wall"]
                entry["cold_note"] = "kept"
                log("N=%d: reusing the cold apply kept in %s (%.0f s then)" % (n, kept, cold["wall"]))
            else:
                plat = self.platform("platform-n%d" % n, n)
                repo = new_bare(os.path.join(w, "state.git"))
                log("N=%d: cold apply (projected %.0f s)" % (n, cold_proj))
                res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout())
                entry["cold"] = res["wall"]
                entry["cold_rss"] = res["rss_mb"]
                if res["timed_out"]:
                    entry["skipped"] = "cold apply timed out after %.0f s" % res["wall"]
                    break
                log("  cold apply %.1f s, %d pipelines, %.0f MB" % (res["wall"], res["runs"], res["rss_mb"]))
                with open(kept, "w", encoding="utf-8") as f:
                    json.dump({"n": n, "platform": plat, "repo": repo, "wall": res["wall"]}, f)
            entry["repo"], entry["platform"] = repo, plat
            entry["files"] = git_count_files(repo)
            # kbr validate: load and validate the N requests, no container, no state store
            walls = []
            for _ in range(self.a.runs):
                t0 = time.monotonic()
                sh(["timeout", "-k", "10", str(int(self.pass_timeout())), KBR, "validate", "--platform", plat])
                walls.append(time.monotonic() - t0)
                if walls[-1] > 30:
                    break
            entry["validate"] = median(walls)
            # kbr status: load, fetch the state store, read every record; no container
            walls = []
            for _ in range(self.a.runs):
                t0 = time.monotonic()
                sh(["timeout", "-k", "10", str(int(self.pass_timeout())), KBR, "status", "--platform", plat,
                    "--state-url", "default=" + repo])
                walls.append(time.monotonic() - t0)
                if walls[-1] > 30:
                    break
            entry["status"] = median(walls)
            log("  kbr validate %.2f s, kbr status %.2f s" % (entry["validate"], entry["status"]))
            # no-op passes
            for r in range(runs):
                res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout(), detailed=True, expect=(0, 2))
                if res["timed_out"]:
                    entry["noop_timeout"] = res["wall"]
                    break
                entry["noop"].append(res["wall"])
                entry["noop_rss"].append(res["rss_mb"])
                entry["noop_runs"].append(res["runs"])
                entry["noop_rc"].append(res["rc"])
                entry["noop_pipelines"] = sum(res["durations"].values())
                log("  no-op pass %d: %.2f s, %d pipelines run, %.0f MB%s" % (
                    r + 1, res["wall"], res["runs"], res["rss_mb"],
                    "" if res["rc"] == 0 else ", BUT IT FOUND CHANGES (exit 2)"))
            # one-change passes: request N/2 gets a new spec.value each run
            k = n // 2
            target = genplatform.request_name(k)
            req_file = os.path.join(plat, genplatform.request_path(k, PROMISES))
            own = re.compile(r"(^|/)%s(/|\.json$)" % re.escape(target))
            for r in range(runs if "noop_timeout" not in entry else 0):
                with open(req_file, "w", encoding="utf-8") as f:
                    f.write(genplatform.request_yaml(k, PROMISES, value="changed-%d" % r))
                res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout(), detailed=True, expect=(0, 2))
                if res["timed_out"]:
                    entry["change_timeout"] = res["wall"]
                    break
                if res["rc"] != 2:
                    raise Broken("N=%d: after changing %s, kbr apply found no changes" % (n, target))
                changed = sh(["git", "--git-dir", repo, "diff", "--name-only", "main~1", "main"]).splitlines()
                foreign = [p for p in changed if not own.search(p)]
                container = next((d for obj, d in res["durations"].items() if obj.endswith("/" + target)), 0.0)
                entry["change"].append(res["wall"])
                entry["change_rss"].append(res["rss_mb"])
                entry["change_runs"].append(res["runs"])
                entry["change_container"].append(container)
                entry["change_pipelines"] = sum(res["durations"].values())
                entry["touched"].append(len(changed))
                entry["foreign"].append(foreign[:5])
                log("  one-change pass %d: %.2f s, %d pipelines run (%s: %.1f s), commit touches %d files%s" % (
                    r + 1, res["wall"], res["runs"], target, container, len(changed),
                    "" if not foreign else ", %d NOT of %s, e.g. %s" % (len(foreign), target, foreign[0])))
            # the same passes with a warm --cache-dir (a CronJob's volume or a CI cache): one priming
            # pass, then the no-op and one-change passes again
            if entry["noop"] and entry["change"]:
                cache = ["--cache-dir", os.path.join(w, "cache")]
                self.kbr.pass_("apply", plat, repo, w, self.pass_timeout(), detailed=True, expect=(0, 2), extra=cache)
                entry["warm_noop"], entry["warm_change"], entry["warm_rss"] = [], [], []
                entry["warm_change_container"] = []
                for r in range(runs):
                    res = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout(), detailed=True, expect=(0, 2),
                                         extra=cache)
                    entry["warm_noop"].append(res["wall"])
                    entry["warm_rss"].append(res["rss_mb"])
                    with open(req_file, "w", encoding="utf-8") as f:
                        f.write(genplatform.request_yaml(k, PROMISES, value="warm-%d" % r))
                    res2 = self.kbr.pass_("apply", plat, repo, w, self.pass_timeout(), detailed=True,
                                          expect=(0, 2), extra=cache)
                    if res2["rc"] != 2 or res2["runs"] != 1:
                        raise Broken("N=%d: warm one-change pass exited %d with %d pipelines run"
                                     % (n, res2["rc"], res2["runs"]))
                    entry["warm_change"].append(res2["wall"])
                    entry["warm_change_container"].append(
                        next((d for obj, d in res2["durations"].items() if obj.endswith("/" + target)), 0.0))
                    entry["warm_rss"].append(res2["rss_mb"])
                    log("  warm --cache-dir: no-op %.2f s (%d run), one-change %.2f s" % (
                        res["wall"], res["runs"], res2["wall"]))
            if entry["noop"] and entry["change"]:
                prev = (n, median(entry["noop"]), median(entry["change"]))
            else:
                break

    # report ---------------------------------------------------------------------------------------
    def report(self, machine):
        r = self.res
        a = self.a
        out = []
        p = out.append
        p("## kbr benchmark: %s" % ("ci/bench --quick" if a.quick else "ci/bench"))
        p("")
        for k, v in machine:
            p("- %s: %s" % (k, v))
        p("- kbr parallelism: %s" % (
            "--parallelism %d (raw docker baseline: xargs -P %d)" % (self.kbr.parallelism, self.kbr.parallelism)
            if self.kbr.has_parallelism else
            "this build has no --parallelism option: pipelines run one at a time, so the raw docker baseline "
            "uses xargs -P 1"))
        p("- runs per figure: %d (median shown); platform: %d Promises, %d Destinations, trivial image %s"
          % (a.runs, PROMISES, DESTINATIONS, IMAGE))
        p("- fixed costs: `kbr --version` %s (JVM start), no-op `kbr apply` of a platform without requests %s%s"
          % (fmt_s(r.get("jvm")), fmt_s(r.get("empty_pass")),
             " (1 run)" if r.get("empty_pass_runs") == 1 else ""))
        p("")
        p("| figure | N | kbr | baseline | ratio | goal | met? | kbr peak RSS |")
        p("|---|---|---|---|---|---|---|---|")
        mr = {}
        p1 = r.get("p1")
        if p1:
            k, raw, nv = median(p1["kbr"]), median(p1["raw"]), median(p1["naive"])
            ratio, speed = k / raw, nv / k
            mr["P1"], mr["P1naive"] = "%.2f" % ratio, "%.2f" % speed
            p("| P1 cold apply vs raw `docker run` | %s requests | %s | %s (raw `docker run`, -P %d) | %.2f × | ≤ 1.15 × | %s | %.0f MB |"
              % (fmt_n(p1["n"]), fmt_s(k), fmt_s(raw), self.kbr.parallelism, ratio, "yes" if ratio <= 1.15 else "no",
                 max(p1["rss"])))
            p("| P1 cold apply vs shell loop + `git commit` | %s requests | %s | %s (shell loop of `docker run`, then `git add -A && git commit`) | speed-up %.2f × | ≥ 4 × | %s | |"
              % (fmt_n(p1["n"]), fmt_s(k), fmt_s(nv), speed, "yes" if speed >= 4 else "no"))
        top = next((e for e in reversed(r["ladder"]) if e["noop"]), None)
        top_c = next((e for e in reversed(r["ladder"]) if e["change"]), None)
        if top:
            wall, rss = median(top["noop"]), max(top["noop_rss"])
            mr["P2"], mr["P2rss"] = "%.2f" % wall, "%.0f" % rss
            runs = top["noop_runs"][-1]
            warm = median(top["warm_noop"]) if top.get("warm_noop") else None
            p("| P2 no-op pass | %s requests × %d Destinations%s | %s (%d pipelines run%s)%s | | | ≤ 3 s | %s%s | %.0f MB (goal ≤ 512 MB: %s) |"
              % (fmt_n(top["n"]), DESTINATIONS, "" if top["n"] >= 10000 else " (goal: 10,000)",
                 fmt_s(wall), runs, "" if all(c == 0 for c in top["noop_rc"]) else ", FOUND CHANGES",
                 "" if warm is None else "; with a warm `--cache-dir` %s" % fmt_s(warm),
                 "yes" if wall <= 3 else "no",
                 "" if warm is None else " (warm: %s)" % ("yes" if warm <= 3 else "no"),
                 rss, "yes" if rss <= 512 else "no"))
        else:
            p("| P2 no-op pass | - | not measured | | | ≤ 3 s | - | |")
        if top_c:
            wall = median(top_c["change"])
            runs = max(top_c["change_runs"])
            cont = median(top_c["change_container"])
            touched = max(top_c["touched"])
            clean = not any(top_c["foreign"])
            mr["P3runs"] = "%d" % runs
            ok = runs == 1 and clean and wall <= 3 + cont
            warm = median(top_c["warm_change"]) if top_c.get("warm_change") else None
            warm_cont = median(top_c["warm_change_container"]) if top_c.get("warm_change_container") else None
            warm_text, warm_met = "", ""
            if warm is not None and warm_cont is not None:
                warm_text = "; with a warm `--cache-dir` %s (its container %s)" % (fmt_s(warm), fmt_s(warm_cont))
                warm_met = " (warm: %s)" % ("yes" if runs == 1 and clean and warm <= 3 + warm_cont else "no")
            p("| P3 one request changed | %s requests%s | %s; %d pipelines run; commit touches %d files, %s%s | 3 s + its container (%s) = %s | | 1 run, only its files, ≤ 3 s + container | %s%s | %.0f MB |"
              % (fmt_n(top_c["n"]), "" if top_c["n"] >= 10000 else " (goal: 10,000)", fmt_s(wall), runs, touched,
                 "all of that request" if clean else "SOME NOT of that request", warm_text,
                 fmt_s(cont), fmt_s(3 + cont), "yes" if ok else "no", warm_met, max(top_c["change_rss"])))
        else:
            p("| P3 one request changed | - | not measured | | | 1 run | - | |")
        p4 = r.get("p4")
        if p4 and "error" not in p4:
            rest, g = median(p4["kbr_rest"]), median(p4["git"])
            ratio = rest / g
            mr["P4"] = "%.2f" % ratio
            p("| P4 commit of many files | %s files (1 request) | %s (wall %s minus its pipeline %s) | %s (`git add -A && git commit` in a checkout) | %.2f × | ≤ 0.5 × | %s | %.0f MB |"
              % (fmt_n(p4["committed"]), fmt_s(rest), fmt_s(median(p4["kbr_total"])), fmt_s(median(p4["kbr_pipeline"])),
                 fmt_s(g), ratio, "yes" if ratio <= 0.5 else "no", max(p4["rss"])))
        elif p4:
            p("| P4 commit of many files | %s files | FAILED: %s | | | ≤ 0.5 × | no | |" % (fmt_n(p4["files"]), p4["error"]))
        p("")
        p("Scaling of the passes (%d Promises, %d Destinations; median of the runs shown; "
          "'of which pipelines' is the sum of the pipeline run times kbr reports; `kbr validate` loads and "
          "validates the platform, `kbr status` also fetches the state store and reads every record, "
          "neither runs a container):" % (PROMISES, DESTINATIONS))
        p("")
        p("| N requests | state files | `kbr validate` | `kbr status` | cold apply | no-op pass | pipelines run | of which pipelines | one-change pass | pipelines run | no-op, warm `--cache-dir` | one-change, warm | peak RSS | runs |")
        p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for e in r["ladder"]:
            if e["skipped"] and not e["noop"]:
                p("| %s | | | | not measured: %s | | | | | | | | | |" % (fmt_n(e["n"]), e["skipped"]))
                continue
            rss = max(e["noop_rss"] + e["change_rss"] + e.get("warm_rss", [])
                      + ([e["cold_rss"]] if e.get("cold_rss") else []) or [0])
            p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.0f MB | %s |" % (
                fmt_n(e["n"]), fmt_n(e.get("files", 0)), fmt_s(e["validate"]), fmt_s(e["status"]),
                (fmt_s(e["cold"]) + (" (kept from an earlier run)" if e.get("cold_note") else ""))
                if e["cold"] is not None else "(P1's)",
                fmt_s(median(e["noop"])) + (" (timed out)" if e.get("noop_timeout") else ""),
                "/".join(str(x) for x in sorted(set(e["noop_runs"]))) or "-",
                fmt_s(e.get("noop_pipelines")),
                fmt_s(median(e["change"])) + (" (timed out)" if e.get("change_timeout") else ""),
                "/".join(str(x) for x in sorted(set(e["change_runs"]))) or "-",
                fmt_s(median(e["warm_noop"])) if e.get("warm_noop") else "-",
                fmt_s(median(e["warm_change"])) if e.get("warm_change") else "-",
                rss, e.get("runs_note", "%d" % len(e["noop"]))))
        bucket.report(self, p, fmt_n, fmt_s, median)
        for note in r["notes"]:
            p("")
            p("Note: " + note)
        p("")
        total = time.monotonic() - START
        p("Total bench time: %.0f s%s" % (total, "" if total <= a.budget else
                                          " (over the %.0f s budget)" % a.budget))
        p("")
        p(" ".join("%s=%s" % (k, mr.get(k, "NA")) for k in ("P1", "P1naive", "P2", "P2rss", "P3runs", "P4")))
        return "\n".join(out)


def machine_info(kbr):
    def read(path):
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except OSError:
            return ""

    cpu = re.search(r"^model name\s*:\s*(.*)$", read("/proc/cpuinfo"), re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", read("/proc/meminfo"), re.M)
    try:
        docker = sh(["docker", "version", "--format", "{{.Server.Version}}"]).strip()
    except Broken:
        docker = "?"
    try:
        commit = sh(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"]).strip()
        dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "--", "reconciler", "pom.xml"]).strip()
        commit += " (reconciler sources modified)" if dirty else ""
    except Broken:
        commit = "? (not a git checkout)"
    java = subprocess.run(["java", "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    java = java.splitlines()[0] if java else "?"
    return [
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("kbr build", "commit %s" % commit),
        ("machine", "%d cores (%s), %.1f GiB memory, %s %s"
         % (os.cpu_count() or 0, cpu.group(1) if cpu else "?", int(mem.group(1)) / 1048576.0 if mem else 0,
            pyplatform.system(), pyplatform.release())),
        ("load average at start", " ".join(read("/proc/loadavg").split()[:3])),
        ("Docker engine", docker),
        ("Java", java),
    ]


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="ci/bench",
        description="kbr benchmark (issue #4): P1-P4 against their baselines and the scaling of the "
                    "no-op and one-change passes. Results on stdout, progress on stderr.")
    ap.add_argument("--quick", action="store_true",
                    help="small N and a 160 s budget, for a check (default: the full run)")
    ap.add_argument("--runs", type=int, help="runs per figure, at least 3 (default 3)")
    ap.add_argument("--p1-requests", type=int, help="P1 requests (default 200; quick 8)")
    ap.add_argument("--p4-files", type=int, help="P4 files (default 30000; quick 3000)")
    ap.add_argument("--ladder", help="comma-separated N of the scaling passes (default 100,1000,10000; "
                                     "quick <P1 N>,100,1000); each N runs only when projected to fit the budget")
    ap.add_argument("--bucket-ladder", help="comma-separated N whose passes are also measured on a bucket state "
                                            "store, from the Git ladder's state (default 1000,10000; quick 100)")
    ap.add_argument("--bucket-backend", default="transient", choices=["transient", "filesystem-nio2"],
                    help="S3Proxy's storage for the bucket passes (default transient: in memory)")
    ap.add_argument("--budget", type=float, help="seconds the whole bench may take; N that do not fit are skipped "
                                                 "(default 28800; quick 160)")
    ap.add_argument("--slow-pass", type=float, default=300,
                    help="a pass projected longer than this many seconds is run once, not --runs times (default 300)")
    ap.add_argument("--pass-timeout", type=float, default=14400, help="longest single kbr pass in seconds (default 14400)")
    ap.add_argument("--work", help="work directory (default: a new temporary one, removed at the end)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args(argv)
    a.runs = a.runs or 3
    if a.runs < 3:
        ap.error("--runs must be at least 3")
    a.p1_requests = a.p1_requests or (8 if a.quick else 200)
    a.p4_files = a.p4_files if a.p4_files is not None else (3000 if a.quick else 30000)
    a.budget = a.budget or (160 if a.quick else 28800)
    if a.ladder:
        a.ladder = [int(x) for x in a.ladder.split(",") if x.strip()]
    else:
        a.ladder = [a.p1_requests, 100, 1000] if a.quick else [100, 1000, 10000]
    a.ladder = sorted(set(a.ladder))
    if a.bucket_ladder:
        a.bucket_ladder = [int(x) for x in a.bucket_ladder.split(",") if x.strip()]
    else:
        a.bucket_ladder = [100] if a.quick else [1000, 10000]
    if a.p1_requests < 1 or a.p4_files < 1 or any(n < 2 for n in a.ladder):
        ap.error("--p1-requests, --p4-files must be >= 1 and ladder N >= 2")
    return a


def main(argv):
    a = parse_args(argv)
    for tool in ("docker", "git", "xargs", "timeout", "/usr/bin/time"):
        if not shutil.which(tool):
            print("ci/bench: %s is missing" % tool, file=sys.stderr)
            return 1
    help_text = sh([KBR, "apply", "--help"])
    has_par = "--parallelism" in help_text
    parallelism = (os.cpu_count() or 1) * 2 if has_par else 1
    kbr = Kbr(parallelism, has_par)
    made = a.work is None
    a.work = a.work or tempfile.mkdtemp(prefix="kbr-bench.")
    os.makedirs(a.work, exist_ok=True)
    log("work directory %s; budget %.0f s; %s" % (
        a.work, a.budget, "kbr --parallelism %d" % parallelism if has_par else "kbr has no --parallelism: 1"))
    machine = machine_info(kbr)
    bench = Bench(a, kbr)
    status = 0
    try:
        bench.fixed()
        bench.p1()
        bench.p4()
        bench.ladder()
        bucket.run(bench, genplatform, PROMISES, median, log)
    except Broken as e:
        log("BROKEN: %s" % e)
        bench.res["notes"].append("the bench stopped early: %s" % str(e).splitlines()[0])
        status = 1
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    machine.append(("load average at end", " ".join(open("/proc/loadavg").read().split()[:3])))
    if LOADS:
        machine.append(("1-minute load average after each kbr pass", "min %.2f, median %.2f, max %.2f (%d cores; "
                        "higher means other work competed for the machine)"
                        % (min(LOADS), median(LOADS), max(LOADS), os.cpu_count() or 0)))
    print(bench.report(machine), flush=True)
    if made and not a.keep and status == 0:
        shutil.rmtree(a.work, ignore_errors=True)
    else:
        log("kept %s" % a.work)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
