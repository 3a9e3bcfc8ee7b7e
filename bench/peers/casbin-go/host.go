// host.go - the Casbin Go host: the model and rules of bench/peers/casbin (shared with Casbin
// node), every role assigned in the nodes it reaches (reach.csv) through an adapter, as a
// database adapter would hand the rows over, and per request one Enforce.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
)

// files per workload: the model and its rules.
var files = map[string][2]string{
	"full":  {"model.conf", "policy.csv"},
	"plain": {"plain_model.conf", "plain_policy.csv"},
}

// rowsAdapter hands the rules file and the grouping rows built from the scenario to Casbin.
type rowsAdapter struct {
	rules string
	rows  [][]string
}

func (a *rowsAdapter) LoadPolicy(m model.Model) error {
	f, err := os.Open(a.rules)
	if err != nil {
		return err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if err := persist.LoadPolicyLine(strings.TrimSpace(s.Text()), m); err != nil {
			return err
		}
	}
	if err := s.Err(); err != nil {
		return err
	}
	for _, row := range a.rows {
		if err := persist.LoadPolicyArray(row, m); err != nil {
			return err
		}
	}
	return nil
}

func (a *rowsAdapter) SavePolicy(model.Model) error { return fmt.Errorf("read-only adapter") }
func (a *rowsAdapter) AddPolicy(string, string, []string) error {
	return fmt.Errorf("read-only adapter")
}
func (a *rowsAdapter) RemovePolicy(string, string, []string) error {
	return fmt.Errorf("read-only adapter")
}
func (a *rowsAdapter) RemoveFilteredPolicy(string, string, int, ...string) error {
	return fmt.Errorf("read-only adapter")
}

// readReach reads reach.csv: role -> self | subtree | tenant.
func readReach(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	reach := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, ",")
		if len(fields) != 2 {
			return nil, fmt.Errorf("reach.csv: bad line %q", line)
		}
		reach[strings.TrimSpace(fields[0])] = strings.TrimSpace(fields[1])
	}
	return reach, s.Err()
}

// host holds the enforcer and the session data a service keeps per user and resource.
type host struct {
	enforcer *casbin.Enforcer
	plain    bool
	users    [][3]string // name, plan of the user's node, blocked
	owners   []string    // per resource: its owner node's name
}

func loadPolicy(dir, workload string) (*casbin.Enforcer, error) {
	f := files[workload]
	return casbin.NewEnforcer(filepath.Join(dir, f[0]), filepath.Join(dir, f[1]))
}

func nodeName(n int) string { return "n" + strconv.Itoa(n) }

// loadEntities assigns every role in the nodes it reaches and reloads the enforcer with them.
func loadEntities(e *casbin.Enforcer, dir, workload string, sc *scenario) (*host, error) {
	reach, err := readReach(filepath.Join(dir, "reach.csv"))
	if err != nil {
		return nil, err
	}
	children := make([][]int, len(sc.nodes))
	for id, n := range sc.nodes {
		if n.parent >= 0 {
			children[n.parent] = append(children[n.parent], id)
		}
	}
	subtrees := map[int][]int{}
	subtree := func(root int) []int {
		if nodes, ok := subtrees[root]; ok {
			return nodes
		}
		var nodes []int
		for stack := []int{root}; len(stack) > 0; {
			n := stack[len(stack)-1]
			stack = append(stack[:len(stack)-1], children[n]...)
			nodes = append(nodes, n)
		}
		subtrees[root] = nodes
		return nodes
	}
	var rows [][]string
	h := &host{enforcer: e, plain: workload == "plain"}
	for id, u := range sc.users {
		name := "u" + strconv.Itoa(id)
		for _, role := range u.roles {
			var domains []int
			switch reach[role] {
			case "self":
				domains = []int{u.node}
			case "subtree":
				domains = subtree(u.node)
			case "tenant":
				domains = subtree(sc.nodes[u.node].tenant)
			default:
				return nil, fmt.Errorf("reach.csv: no reach for role %s", role)
			}
			for _, n := range domains {
				rows = append(rows, []string{"g", name, role, nodeName(n)})
			}
		}
		plan, blocked := "standard", "no"
		if sc.nodes[u.node].business {
			plan = "business"
		}
		if u.blocked {
			blocked = "yes"
		}
		h.users = append(h.users, [3]string{name, plan, blocked})
	}
	for _, owner := range sc.owners {
		h.owners = append(h.owners, nodeName(owner))
	}
	e.SetAdapter(&rowsAdapter{rules: filepath.Join(dir, files[workload][1]), rows: rows})
	if err := e.LoadPolicy(); err != nil {
		return nil, err
	}
	return h, nil
}

// decide is what the service does per request.
func (h *host) decide(q *request) (bool, error) {
	u := &h.users[q.user]
	if h.plain {
		return h.enforcer.Enforce(u[0], h.owners[q.resource], q.permission)
	}
	return h.enforcer.Enforce(u[0], h.owners[q.resource], q.permission, u[1], u[2])
}
