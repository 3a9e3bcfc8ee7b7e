// types.go - the requests, decisions and errors of the Go binding.
package lattice

import (
	"fmt"
	"strconv"
)

// Segment is one id of a node path: a number of the host (ID) or a string (Key). A string
// never equals a number: Key("7") and ID(7) are different nodes.
type Segment struct {
	number   int64
	text     string
	isString bool
}

// ID is a numeric path segment, in [0, 2^63).
func ID(id int64) Segment { return Segment{number: id} }

// Key is a string path segment.
func Key(key string) Segment { return Segment{text: key, isString: true} }

// Path is a node as its ancestor path: the ids from its tree's root down to the node itself.
type Path []Segment

// IDs is a path of numeric ids, such as IDs(tenantID, accountID).
func IDs(ids ...int64) Path {
	p := make(Path, len(ids))
	for i, id := range ids {
		p[i] = ID(id)
	}
	return p
}

// Keys is a path of string ids, such as Keys("acme", "eu").
func Keys(keys ...string) Path {
	p := make(Path, len(keys))
	for i, k := range keys {
		p[i] = Key(k)
	}
	return p
}

// Membership is a set of roles held at one node, with that node's flags (flags declared on
// scope kinds).
type Membership struct {
	Node      Path
	Roles     []string
	NodeFlags []string
}

// Request is one request of a principal with memberships, by name.
type Request struct {
	Kind        string
	Flags       []string // the principal's own flags (declared on user types)
	Memberships []Membership
	Permission  string
	Target      Path // the resource's own node if it is a scope, else its owner node
	// CustomRoles holds the custom roles Memberships may name beside compiled roles (nil: none);
	// a set built on another table is refused.
	CustomRoles *CustomRoles
}

// Decision is the outcome of a request.
type Decision struct {
	Allowed            bool
	Reason             Reason
	DecidingRole       string // the role that allowed or denied, or ""
	DecidingMembership int    // index of the membership it was held through, or -1
}

var denied = Decision{Reason: ReasonBadRequest, DecidingMembership: -1}

// Reason says why a decision came out as it did (the runtime's lattice_reason).
type Reason uint32

const (
	ReasonAllowed Reason = iota
	ReasonDeniedByRule
	ReasonNoAllow
	ReasonBadRequest
	ReasonOtherTree
	ReasonRoleNotForKind
	ReasonExclusive
	ReasonNotApplicable
	ReasonRequirement
	ReasonNoTable
	// ReasonDeniedByPolicy: a policy-wide deny (a `deny` at the top level) denied it; no role.
	ReasonDeniedByPolicy
)

var reasonNames = [...]string{"allowed", "denied_by_rule", "no_allow", "bad_request",
	"other_tree", "role_not_for_kind", "exclusive", "not_applicable", "requirement", "no_table",
	"denied_by_policy"}

func (r Reason) String() string { return word(reasonNames[:], uint32(r), "reason") }

// Relation is the relation of a target to the node where roles are held (DecideAt).
type Relation uint32

const (
	RelationSelf Relation = iota
	RelationDescendants
	RelationAncestors
	RelationElsewhere
	RelationNone
)

var relationNames = [...]string{"self", "descendants", "ancestors", "elsewhere", "none"}

func (r Relation) String() string { return word(relationNames[:], uint32(r), "relation") }

// LoadStatus says why a table did not load (the runtime's lattice_load_status).
type LoadStatus uint32

var loadStatusNames = [...]string{"ok", "io_error", "too_small", "bad_magic", "bad_version",
	"bad_size", "bad_checksum", "bad_layout", "out_of_memory", "not_a_file", "too_large",
	"bad_fingerprint"}

func (s LoadStatus) String() string { return word(loadStatusNames[:], uint32(s), "status") }

// word is the name of number n, or kind(n) for a number without one (a newer runtime's).
func word(names []string, n uint32, kind string) string {
	if int(n) < len(names) {
		return names[n]
	}
	return kind + "(" + strconv.FormatUint(uint64(n), 10) + ")"
}

// LoadError is a table that did not load: corrupt, truncated, unreadable or too large.
type LoadError struct {
	Status LoadStatus
	Path   string // "" for Load
}

func (e *LoadError) Error() string {
	where := "from bytes"
	if e.Path != "" {
		where = "`" + e.Path + "`"
	}
	return fmt.Sprintf("cannot load table %s: %s", where, loadStatusMessage(e.Status))
}

// UnknownNameError is a name the table does not have: the request is not decided.
type UnknownNameError struct {
	Category string // kind, role, permission or flag
	Name     string
	Policy   string
}

func (e *UnknownNameError) Error() string {
	return fmt.Sprintf("unknown %s `%s` in policy `%s`", e.Category, e.Name, e.Policy)
}

// InvalidRequestError is a request the binding refuses before deciding (an empty or negative
// path, an unknown relation).
type InvalidRequestError struct{ msg string }

func (e *InvalidRequestError) Error() string { return e.msg }

// errNoTable: a nil Table, or a Principal not made by Table.NewPrincipal.
var errNoTable = &InvalidRequestError{"no table: load one with LoadFile or Load, and make principals with NewPrincipal"}

type category int

const (
	kindCategory category = iota
	roleCategory
	permissionCategory
	flagCategory
)

func (c category) String() string {
	return [...]string{"kind", "role", "permission", "flag"}[c]
}
