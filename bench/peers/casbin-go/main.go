// main.go - the Casbin Go engine of the side-by-side harness (bench/peers/README.md): loads the
// policy and the scenario, answers every request in timed batches, writes the answers and prints
// one JSON stats line, measured as engines.mjs and lattice_driver.cpp measure theirs.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"time"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "casbin_go: "+format+"\n", args...)
	os.Exit(1)
}

func msSince(start time.Time) float64 { return float64(time.Since(start).Nanoseconds()) / 1e6 }

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

func peakRssKib() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`VmHWM:\s*(\d+)`).FindSubmatch(status)
	if m == nil {
		return -1
	}
	v, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return v
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

func main() {
	casbinDir := flag.String("casbin", "", "bench/peers/casbin (model, rules, reach)")
	workload := flag.String("workload", "full", "full or plain")
	scenarioDir := flag.String("scenario", "", "scenario folder")
	out := flag.String("out", "", "answers file")
	batch := flag.Int("batch", 1000, "requests per timed batch")
	minSeconds := flag.Float64("min-seconds", 0, "repeat the requests until this much timed work")
	flag.Parse()
	if *casbinDir == "" || *scenarioDir == "" || *out == "" || *batch <= 0 {
		fail("usage: casbin_go --casbin DIR --scenario DIR --out ANSWERS [--workload full|plain] " +
			"[--batch N] [--min-seconds S]")
	}
	if _, ok := files[*workload]; !ok {
		fail("unknown workload %s", *workload)
	}

	start := time.Now()
	enforcer, err := loadPolicy(*casbinDir, *workload)
	if err != nil {
		fail("cannot load the policy: %v", err)
	}
	loadMs := msSince(start)
	start = time.Now()
	sc, err := readScenario(*scenarioDir)
	if err != nil {
		fail("%v", err)
	}
	h, err := loadEntities(enforcer, *casbinDir, *workload, sc)
	if err != nil {
		fail("cannot load the entities: %v", err)
	}
	entitiesMs := msSince(start)

	n := len(sc.requests)
	answers := make([]bool, n)
	decideRange := func(begin, end int, into []bool) {
		for i := begin; i < end; i++ {
			allowed, err := h.decide(&sc.requests[i])
			if err != nil {
				fail("request %d: %v", i+1, err)
			}
			into[i] = allowed
		}
	}
	// One untimed pass over the first batch, then passes until enough timed work.
	warm := *batch
	if warm > n {
		warm = n
	}
	decideRange(0, warm, answers)
	var batchNs []float64
	var totalNs float64
	passes := 0
	again := make([]bool, n)
	for {
		into := answers
		if passes > 0 {
			into = again
		}
		for begin := 0; begin < n; begin += *batch {
			end := begin + *batch
			if end > n {
				end = n
			}
			t0 := time.Now()
			decideRange(begin, end, into)
			ns := float64(time.Since(t0).Nanoseconds())
			totalNs += ns
			batchNs = append(batchNs, ns/float64(end-begin))
		}
		if passes > 0 {
			for i := range answers {
				if answers[i] != again[i] {
					fail("pass %d answered request %d differently", passes+1, i+1)
				}
			}
		}
		passes++
		if n == 0 || totalNs >= *minSeconds*1e9 {
			break
		}
	}

	f, err := os.Create(*out)
	if err != nil {
		fail("cannot write %s: %v", *out, err)
	}
	w := bufio.NewWriter(f)
	for _, a := range answers {
		if a {
			w.WriteString("1\n")
		} else {
			w.WriteString("0\n")
		}
	}
	if err := w.Flush(); err != nil || f.Close() != nil {
		fail("cannot write %s", *out)
	}

	sort.Float64s(batchNs)
	decisions := float64(n * passes)
	stats := map[string]interface{}{
		"name":            "casbin-go",
		"load_ms":         round(loadMs, 3),
		"entities_ms":     round(entitiesMs, 3),
		"decisions_per_s": 0.0,
		"ns_mean":         0.0,
		"ns_p50":          round(percentile(batchNs, 0.5), 2),
		"ns_p99":          round(percentile(batchNs, 0.99), 2),
		"passes":          passes,
		"timed_s":         round(totalNs/1e9, 3),
		"peak_rss_kib":    peakRssKib(),
	}
	if n > 0 {
		stats["decisions_per_s"] = math.Round(decisions * 1e9 / totalNs)
		stats["ns_mean"] = round(totalNs/decisions, 2)
	}
	line, _ := json.Marshal(stats)
	fmt.Println(string(line))
}
