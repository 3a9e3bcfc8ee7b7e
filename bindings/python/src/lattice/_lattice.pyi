# _lattice.pyi - type stubs of the extension module (what `lattice` re-exports).
from typing import Optional, Sequence, Tuple, Union

NodeId = Union[int, str]
MembershipLike = Union[Tuple[Sequence[NodeId], Sequence[str]],
                       Tuple[Sequence[NodeId], Sequence[str], Sequence[str]]]

class Error(Exception): ...

class LoadError(Error):
    status: str  # bad_checksum, bad_size, too_small, bad_magic, io_error, not_a_file, ...
    code: int

class UnknownNameError(Error, LookupError):
    category: str  # kind, role, permission or flag
    name: str

class Decision:
    allowed: bool
    reason: str
    deciding_role: Optional[str]
    deciding_membership: Optional[int]
    def __bool__(self) -> bool: ...

class Principal:
    @property
    def table(self) -> "Table": ...
    def decide(self, permission: str, target: Sequence[NodeId],
               facts: Sequence[str] = ()) -> Decision: ...

class Table:
    @staticmethod
    def load_file(path: str, max_bytes: Optional[int] = None) -> "Table": ...
    @staticmethod
    def from_bytes(data: bytes) -> "Table": ...
    @property
    def policy_name(self) -> str: ...
    @property
    def fingerprint(self) -> int: ...
    @property
    def revision(self) -> str: ...
    @property
    def kinds(self) -> Tuple[str, ...]: ...
    @property
    def roles(self) -> Tuple[str, ...]: ...
    @property
    def permissions(self) -> Tuple[str, ...]: ...
    @property
    def flags(self) -> Tuple[str, ...]: ...
    def principal(self, *, kind: str, memberships: Sequence[MembershipLike],
                  flags: Sequence[str] = ()) -> Principal: ...
    def decide(self, *, kind: str, memberships: Sequence[MembershipLike], permission: str,
               target: Sequence[NodeId], flags: Sequence[str] = (),
               facts: Sequence[str] = ()) -> Decision: ...
    def decide_at(self, *, kind: str, roles: Sequence[str], permission: str,
                  relation: str = "self", flags: Sequence[str] = ()) -> Decision: ...
    def can_assign(
        self, roles: Sequence[str], target: str, flags: Optional[Sequence[str]] = None
    ) -> bool: ...

def relation(node: Sequence[NodeId], target: Sequence[NodeId]) -> str:
    """self, descendants, ancestors, elsewhere or none (another tree)."""
