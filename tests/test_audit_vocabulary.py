"""One audit vocabulary: every code record() is called with has a Vietnamese label, and no other code is taken."""
import ast
import io
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from models.audit.log import AuditEntry, action_label, record
from models.audit.vocabulary import ACTIONS, ENTITIES, FIELDS, PAIR_LABELS
from models.audit_check.entities import describe
from models.core import write_transaction

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("models/**/*.py"), *ROOT.glob("blueprints/**/*.py"), ROOT / "app.py"])


class Source:
    """The parsed source tree, with what a variable passed to record() can hold."""

    def __init__(self):
        self.modules = {p: ast.parse(p.read_text(encoding="utf-8")) for p in SOURCES}
        self.parents = {}
        for path, tree in self.modules.items():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = (node, path)

    def function_of(self, node):
        while node in self.parents:
            node = self.parents[node][0]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def module_of(self, node) -> Path:
        return self.parents[node][1]

    def calls(self, name: str, private_in: Path | None = None):
        for path, tree in self.modules.items():
            if private_in is not None and path != private_in:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    func = node.func
                    called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                    if called == name:
                        yield node

    def record_calls(self):
        return list(self.calls("record"))

    def values(self, expr, depth=0) -> set[str] | None:
        """Every string `expr` can be, or None when the source does not say."""
        if depth > 6:
            return None
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            a, b = self.values(expr.body, depth + 1), self.values(expr.orelse, depth + 1)
            return None if a is None or b is None else a | b
        if isinstance(expr, ast.JoinedStr):
            out = {""}
            for part in expr.values:
                got = (self.values(part.value, depth + 1) if isinstance(part, ast.FormattedValue)
                       else self.values(part, depth + 1))
                if got is None:
                    return None
                out = {a + b for a in out for b in got}
            return out
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "get"
                and isinstance(expr.func.value, ast.Dict)):  # {…}.get(x, default)
            parts = [self.values(v, depth + 1) for v in [*expr.func.value.values, *expr.args[1:]]]
            return None if any(p is None for p in parts) else set().union(*parts)
        if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            parts = [self.values(v, depth + 1) for v in expr.elts]
            return None if any(p is None for p in parts) else set().union(*parts)
        if isinstance(expr, ast.Name):
            return self._name_values(expr, depth)
        return None

    def _name_values(self, name: ast.Name, depth: int) -> set[str] | None:
        func, module = self.function_of(name), self.module_of(name)
        scopes = [func, self.modules[module]] if func else [self.modules[module]]
        for scope in scopes:
            body = scope.body
            assigned = [n.value for n in (ast.walk(scope) if scope is func else body)
                        if isinstance(n, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == name.id for t in n.targets)]
            if assigned:
                parts = [self.values(v, depth + 1) for v in assigned]
                return None if any(p is None for p in parts) else set().union(*parts)
            if scope is func and name.id in [a.arg for a in func.args.args]:
                return self._parameter_values(func, name.id, module, depth)
        return None

    def _parameter_values(self, func: ast.FunctionDef, param: str, module: Path, depth: int) -> set[str] | None:
        # a guard (`if step not in STEPS`) bounds what the parameter may hold
        for node in ast.walk(func):
            if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id == param
                    and isinstance(node.ops[0], (ast.In, ast.NotIn)) and isinstance(node.comparators[0], ast.Name)):
                guard = self._name_values(node.comparators[0], depth + 1)
                if guard is not None:
                    return guard
        index = [a.arg for a in func.args.args].index(param)
        found: set[str] = set()
        callers = list(self.calls(func.name, module if func.name.startswith("_") else None))
        if not callers:
            return None
        for call in callers:
            arg = next((k.value for k in call.keywords if k.arg == param), None)
            if arg is None and index < len(call.args):
                arg = call.args[index]
            if arg is None:
                continue
            got = self.values(arg, depth + 1)
            if got is None:
                return None
            found |= got
        return found


@pytest.fixture(scope="module")
def source():
    return Source()


def test_every_recorded_action_and_entity_has_a_label(source):
    actions, entities, unknown = set(), set(), []
    for call in source.record_calls():
        if len(call.args) < 2:
            continue
        where = f"{source.module_of(call).relative_to(ROOT)}:{call.lineno}"
        action, entity = source.values(call.args[0]), source.values(call.args[1])
        if action is None or entity is None:
            unknown.append(where)
            continue
        actions |= action
        entities |= entity
        for code in action - ACTIONS.keys():
            unknown.append(f"{where}: action {code!r} has no label")
        for code in entity - ENTITIES.keys():
            unknown.append(f"{where}: entity {code!r} has no label")
    assert not unknown, "record() codes without a label, or that the test cannot follow:\n" + "\n".join(unknown)
    # the walk follows variables: the codes passed through them are found
    assert {"sheet_printed", "sheet_filed", "apply", "confirm", "lock_schedule", "refused", "enable", "disable",
            "backup", "restore"} <= actions
    assert {"attendance_sheet", "correction", "student_import", "school_class", "assignment"} <= entities


def _dict_keys(source, expr) -> set[str]:
    """The literal keys of a before/after dict (nested spreads of other dicts are not followed)."""
    if isinstance(expr, ast.Dict):
        return {k.value for k in expr.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name):  # a helper building the dict
        module = source.modules[source.module_of(expr)]
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef) and node.name == expr.func.id:
                return set().union(*[_dict_keys(source, r.value) for r in ast.walk(node)
                                     if isinstance(r, ast.Return) and r.value is not None] or [set()])
    return set()


def test_every_recorded_field_has_a_label(source):
    missing = []
    for call in source.record_calls():
        for keyword in call.keywords:
            if keyword.arg in ("before", "after"):
                for key in _dict_keys(source, keyword.value) - FIELDS.keys():
                    missing.append(f"{source.module_of(call).relative_to(ROOT)}:{call.lineno}: {key}")
    assert not missing, "before/after fields without a label:\n" + "\n".join(missing)


def test_record_refuses_an_undeclared_code(school):
    count = AuditEntry.select().count()
    for action, entity in (("sheet_prinetd", "attendance_sheet"), ("mark", "attendance_shet")):
        with pytest.raises(ValueError, match="not declared"):
            with write_transaction():
                record(action, entity, "1")
    assert AuditEntry.select().count() == count


def test_each_entity_action_pair_reads_right():
    assert action_label("lock", "account") == "Khoá do nhập sai mật khẩu"
    assert action_label("lock", "attendance_lock") == "Khoá tháng điểm danh"
    assert action_label("unlock", "attendance_lock") == "Mở khoá tháng điểm danh"
    assert action_label("unlock", "lock") == "Mở sổ điểm"
    assert all(entity in ENTITIES and action in ACTIONS for entity, action in PAIR_LABELS)


def test_entities_are_described_by_what_they_are(school):
    c = school["classes"]["6A1"]
    assert describe("attendance_sheet", f"{c.id}:2024-12") == (
        f"Bảng điểm danh lớp 6A1 năm học {c.year.name} tháng 12/2024")
    assert describe("attendance_lock", "2024-10/toàn trường") == "Khoá điểm danh tháng 10/2024, toàn trường"
    assert describe("correction", "7") == "Đề nghị sửa số 7"
    an = school["students"]["Lê Văn An"]
    assert describe("attendance", f"6A1/{an.code}/2024-10-01/1") == (
        f"Điểm danh Lê Văn An ({an.code}), lớp 6A1, buổi sáng ngày 01/10/2024")


# --- the log as an admin reads it ----------------------------------------------------------------------

class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def raw_codes_in(text: str) -> set[str]:
    """Codes of the vocabulary (and coded values) that show as written: `sheet_printed`, `da_duyet`, `opens_at` …"""
    from models.gradebook.corrections import STATES

    codes = {c for c in [*ACTIONS, *ENTITIES, *FIELDS, *STATES] if "_" in c}
    return {token for token in re.findall(r"\b[a-z]+_[a-z_]+\b", text) if token in codes}


def test_the_log_after_locks_corrections_and_prints_shows_no_raw_code(app, client, school, monkeypatch):
    from blueprints.corrections import views as correction_views
    from models.gradebook.marks import MarkCell
    from models.school.structure import Semester
    from tests.conftest import Auth

    monkeypatch.setattr(correction_views, "now", lambda: datetime(2024, 11, 20, 9, 0))
    a, c6a1 = school["assignment"], school["classes"]["6A1"]
    MarkCell.create(school_class=a.school_class, subject=a.subject, student=school["students"]["Nguyễn Thị An"],
                    semester=Semester.get((Semester.year == school["year"]) & (Semester.number == 1)),
                    kind="tx", idx=1, value="6.0", version=1, updated_at=datetime(2024, 10, 1, 20, 0))
    auth = Auth(client)

    def as_user(username):
        auth.logout() if auth.token else None
        assert auth.login(username).status_code == 302
        return auth

    admin = as_user("admin")
    for action in ("lock", "unlock"):
        assert admin.post("/admin/attendance/locks", {"month": "2024-10", "class_id": str(c6a1.id), "action": action,
                                                      "reason": "Kiểm tra sổ"}).status_code == 303
    # a correction filed, confirmed, approved and applied
    url = (f"/corrections/new?target=mark&assignment_id={a.id}&semester=1"
           f"&student_id={school['students']['Nguyễn Thị An'].id}&kind=tx&idx=1")
    teacher = as_user("giaovien")
    resp = teacher.post(url, {"new_value": "8,5", "reason": "Nhập nhầm điểm.",
                              "evidence": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 200), "bien-ban.png")},
                        content_type="multipart/form-data")
    assert resp.status_code == 303, resp.get_data(as_text=True)[:500]
    req_id = AuditEntry.select().where(AuditEntry.entity == "correction").get().entity_id
    assert as_user("totruong").post(f"/corrections/{req_id}/confirm", {"comment": "Đúng."}).status_code == 303
    assert as_user("phohieutruong").post(f"/corrections/{req_id}/approve", {"comment": "Đồng ý."}).status_code == 303
    assert as_user("admin").post(f"/corrections/{req_id}/apply").status_code == 303
    # an attendance sheet printed by the homeroom teacher
    as_user("chunhiem")
    assert client.get(f"/print/attendance/{c6a1.id}/2024-12.pdf").status_code == 200  # a download records "Đã in"

    as_user("admin")
    actions = {e.action for e in AuditEntry.select()}
    assert {"lock", "unlock", "file", "confirm", "approve", "apply", "mark", "sheet_printed"} <= actions
    page = visible_text(client.get("/admin/audit").get_data(as_text=True))
    assert not raw_codes_in(page), raw_codes_in(page)
    assert "Khoá tháng điểm danh" in page and "Khoá do nhập sai" not in page
    assert f"Bảng điểm danh lớp 6A1 năm học {c6a1.year.name} tháng 12/2024" in page
    assert "Đã duyệt → Đã áp dụng" in page and "In bảng điểm danh" in page
    home = visible_text(client.get("/admin/").get_data(as_text=True))  # the latest entries on the admin home
    assert "In bảng điểm danh" in home and not raw_codes_in(home) and f"{c6a1.id}:2024-12" not in home
    for entry in AuditEntry.select():
        text = visible_text(client.get(f"/admin/audit/{entry.id}").get_data(as_text=True))
        assert not raw_codes_in(text), (entry.action, entry.entity, raw_codes_in(text))
        if "/" in entry.entity_id or ":" in entry.entity_id:  # a composite key reads as words, not as stored
            assert entry.entity_id not in text, (entry.entity, entry.entity_id)
