#!/usr/bin/env python3
# server_section.py - the "Decision server" section of docs/performance.md, from the figures
# bench/server/run.py writes (server.json): HTTP keep-alive load, batch, the reload storm and the
# 1 MB reload, with the prose of notes.md's `server` part. render.py includes it; bench/server/run.py splices it into an existing report, so
# the server figures can be measured without running every other benchmark again.
import os

TITLE = "## Decision server"


def render(figures, notes=None):
    machine = figures["machine"]
    load = figures["load"]
    lines = [TITLE, "",
             "Measured by `bench/server/run.py` on %s (%s, %d cores; load average %s when it "
             "started, %s when it ended: the machine is shared, so these are lower bounds). "
             "`lattice-serve` serves the EV example over loopback; wrk (Debian's 4.1) drives it "
             "over keep-alive connections for %d s per row from one thread, posting one "
             "`query --requests` line (`support_agent` at the tenant viewing a station: "
             "allowed) to `/v1/decide`; percentiles are wrk's, p99.9 from its Lua `done()`." % (
                 machine["date"], machine["cpu"], machine["cores"], machine["load_before"],
                 machine["load_after"], figures["seconds"]),
             "", "| connections | decisions/s | p50 | p99 | p99.9 | max |",
             "|---:|---:|---:|---:|---:|---:|"]
    for connections, row in sorted(load["connections"].items(), key=lambda kv: int(kv[0])):
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            connections, "{:,.0f}".format(row["rate"]), us(row["p50_us"]), us(row["p99_us"]),
            us(row["p999_us"]), us(row["max_us"])))
    batch = load["batch"]
    lines += ["", "Batch: `/v1/batch` with %d requests a call at 16 connections: **%s "
              "decisions/s** (%s calls/s, p99 %s a call)." % (
                  figures["batch_size"], "{:,.0f}".format(batch["decisions_per_second"]),
                  "{:,.0f}".format(batch["rate"]), us(batch["p99_us"]))]
    storm = figures.get("storm")
    if storm:
        lines += ["", "Reload storm (the EV example's two bundles renamed over the served file "
                  "every 10 ms during load at 16 connections, every answer checked): %d renames, "
                  "%d reloads published, %s answers, none failed or mixed; p99 %s, p99.9 %s, "
                  "max %s." % (storm["renames"], storm["reloads"],
                               "{:,}".format(storm["answers"]), us(storm["p99_us"]),
                               us(storm["p999_us"]), us(storm["max_us"]))]
    reload = figures.get("reload")
    if reload:
        lines += ["", "Reload of a %s-byte bundle (`bench/compile/gen_policy.py %d`: %s "
                  "permissions, %s roles), by `bench/server/reload_bench` (the policy store "
                  "alone, %d reloads alternating two bundles, one thread deciding without pause "
                  "meanwhile): median **%.2f ms** wall, %.2f ms CPU of the reloading thread, "
                  "p99 %.2f ms, max %.2f ms. Answers did not pause: the deciding thread's "
                  "longest gap between two decisions was %.2f ms during the reloads and %.2f ms "
                  "without any (scheduling on a shared machine), at %s decisions/s meanwhile." % (
                      "{:,}".format(reload["bundle_bytes"]), reload["roles"],
                      "{:,}".format(reload["permissions"]), "{:,}".format(reload["roles"]),
                      reload["reloads"], reload["reload_median_ms"],
                      reload["reload_cpu_median_ms"], reload["reload_p99_ms"],
                      reload["reload_max_ms"], reload["storm_max_gap_ms"],
                      reload["quiet_max_gap_ms"],
                      "{:,.0f}".format(reload["storm_decisions_per_second"]))]
    lines += [""] + target_rows(figures)
    if notes is None:
        notes = notes_part("server")
    return lines + [""] + notes


def target_rows(figures):
    """Issue 14's targets against this run's figures."""
    def row(target, measured, met):
        return "| %s | %s | %s |" % (target, measured, "met" if met else "**missed**")
    sixteen = figures["load"]["connections"].get("16")
    batch = figures["load"].get("batch")
    reload = figures.get("reload")
    rows = ["**Against the issue's targets** (issue 14), in this run:", "",
            "| target | measured | |", "|---|---|---|"]
    if sixteen:
        rows.append(row("≥ 100,000 decisions/s over HTTP keep-alive at 16 connections",
                        "{:,.0f}/s".format(sixteen["rate"]), sixteen["rate"] >= 100000))
        rows.append(row("p99 ≤ 1 ms at 16 connections", us(sixteen["p99_us"]),
                        sixteen["p99_us"] <= 1000))
    if batch:
        rows.append(row("batch ≥ 1,000,000 decisions/s",
                        "{:,.0f}/s".format(batch["decisions_per_second"]),
                        batch["decisions_per_second"] >= 1000000))
    if reload:
        rows.append(row("reload of a 1 MB bundle ≤ 5 ms with no pause in answers",
                        "%.2f ms (median); longest gap between two decisions %.2f ms during "
                        "the reloads, %.2f ms without" % (
                            reload["reload_median_ms"], reload["storm_max_gap_ms"],
                            reload["quiet_max_gap_ms"]),
                        reload["reload_median_ms"] <= 5 and
                        reload["storm_max_gap_ms"] <= max(1.0, 2 * reload["quiet_max_gap_ms"])))
    return rows


def notes_part(name):
    """The lines of notes.md between `<!-- name -->` and the next marker (as render.py reads)."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md"),
              encoding="utf-8") as f:
        notes = f.read().rstrip("\n").splitlines()
    start = notes.index("<!-- %s -->" % name) + 1
    end = next((i for i in range(start, len(notes)) if notes[i].startswith("<!-- ")), len(notes))
    while end > start and not notes[end - 1].strip():
        end -= 1
    return notes[start:end]


def us(value):
    return "%.2f ms" % (value / 1000) if value >= 1000 else "%d µs" % value


def splice(report_path, lines):
    """Replaces the section in an existing report (or appends it before `## How to reproduce`)."""
    with open(report_path, encoding="utf-8") as f:
        text = f.read().rstrip("\n").splitlines()
    if TITLE in text:
        start = text.index(TITLE)
        end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")),
                   len(text))
    else:  # where render.py puts it: before the gaps, else before how to reproduce
        start = end = next((i for i, line in enumerate(text)
                            if line in ("## Where targets are missed, and why",
                                        "## How to reproduce")), len(text))
    text[start:end] = lines + ([""] if end < len(text) else [])
    with open(report_path, "w", encoding="utf-8") as f:
        f.write("\n".join(text).rstrip("\n") + "\n")


def existing(report_path):
    """The section as an earlier run wrote it, for render.py when this run measured no server."""
    if not os.path.exists(report_path):
        return []
    with open(report_path, encoding="utf-8") as f:
        text = f.read().rstrip("\n").splitlines()
    if TITLE not in text:
        return []
    start = text.index(TITLE)
    end = next((i for i in range(start + 1, len(text)) if text[i].startswith("## ")), len(text))
    while end > start and not text[end - 1].strip():
        end -= 1
    return text[start:end]
