// scenario.go - reads a bench/scenario folder (bench/scenario/README.md) into the records the
// Casbin Go host keeps: nodes with their tenant, users, resources and the requests.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

type node struct {
	parent   int
	tenant   int
	business bool
}

type user struct {
	node    int
	blocked bool
	roles   []string
}

type request struct {
	user       int
	permission string
	resource   int
}

type scenario struct {
	nodes    []node
	users    []user
	owners   []int // per resource: its owner node
	requests []request
}

// lines returns the space-separated fields of each non-empty line of dir/name, each line with at
// least `fields` fields.
func lines(dir, name string, fields int) ([][]string, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out [][]string
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for number := 1; s.Scan(); number++ {
		if s.Text() == "" {
			continue
		}
		line := strings.Split(s.Text(), " ")
		if len(line) < fields {
			return nil, fmt.Errorf("%s:%d: expected %d fields", name, number, fields)
		}
		out = append(out, line)
	}
	return out, s.Err()
}

// index parses a non-negative id below `limit` (or -1 when allowed).
func index(text string, limit int, minusOne bool) (int, error) {
	v, err := strconv.Atoi(text)
	if err != nil || v >= limit || v < 0 && !(minusOne && v == -1) {
		return 0, fmt.Errorf("bad id %q", text)
	}
	return v, nil
}

func readScenario(dir string) (*scenario, error) {
	var sc scenario
	nodeLines, err := lines(dir, "nodes.txt", 4)
	if err != nil {
		return nil, err
	}
	for i, f := range nodeLines {
		// Parents come before children, so a node's tenant is known when it is read.
		parent, err := index(f[1], i, true)
		if err != nil {
			return nil, fmt.Errorf("nodes.txt:%d: %v", i+1, err)
		}
		n := node{parent: parent, tenant: i, business: f[3] == "1"}
		if parent >= 0 {
			n.tenant = sc.nodes[parent].tenant
		}
		sc.nodes = append(sc.nodes, n)
	}
	userLines, err := lines(dir, "users.txt", 5)
	if err != nil {
		return nil, err
	}
	for i, f := range userLines {
		at, err := index(f[2], len(sc.nodes), false)
		if err != nil {
			return nil, fmt.Errorf("users.txt:%d: %v", i+1, err)
		}
		sc.users = append(sc.users, user{node: at, blocked: f[3] == "1",
			roles: strings.Split(f[4], ",")})
	}
	resourceLines, err := lines(dir, "resources.txt", 3)
	if err != nil {
		return nil, err
	}
	for i, f := range resourceLines {
		owner, err := index(f[2], len(sc.nodes), false)
		if err != nil {
			return nil, fmt.Errorf("resources.txt:%d: %v", i+1, err)
		}
		sc.owners = append(sc.owners, owner)
	}
	requestLines, err := lines(dir, "requests.txt", 3)
	if err != nil {
		return nil, err
	}
	for i, f := range requestLines {
		u, err1 := index(f[0], len(sc.users), false)
		r, err2 := index(f[2], len(sc.owners), false)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("requests.txt:%d: bad user or resource id", i+1)
		}
		sc.requests = append(sc.requests, request{user: u, permission: f[1], resource: r})
	}
	return &sc, nil
}
