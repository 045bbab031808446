"""The height WeasyPrint's balancing loop ends at, read from the first trial: a model, not a layout.

WeasyPrint 70 balances a columns container (column_layout.py) by laying its
columns out at trial heights: the average of the first trial's columns, then,
after each trial that leaves content over, taller by the least "lost space"
its look-ahead found (`_lost_space`), until a trial holds everything. Every
trial that fails is thrown away. On our line grid the content is a column of
*atoms* — lines, and blocks that must not break (photos, headlines) — whose
heights and gaps do not depend on where a column starts, so where each trial
breaks, whether it fits and the step after it follow from the first trial's
boxes (laid out at the page's height) by WeasyPrint's own rules:

- a column is filled up to the first atom whose bottom overflows
  (`LayoutContext.overflows` against the columns' bottom, computed as
  WeasyPrint computes it) and breaks at the latest allowed place before it:
  between two lines of a paragraph when at least `orphans` lines of it are in
  the column and `widows` follow (`_break_line`, `find_earlier_page_break`),
  between two blocks unless `block_level_page_break` avoids it (the
  `break-after: avoid` of a subhead, the `break-inside: avoid` of a photo);
- a column starting at a block keeps its top margin (balancing trials are laid
  out with `page_is_empty` False, so nothing is truncated);
- a broken column's content reaches its foot (block.py's box splitting: no
  empty space), so the step after a column that leaves content is what its
  look-ahead lays out of the rest: with an infinite bottom space only what may
  overflow a page's top stays (the next line, or a block's first line or
  image), below its top margins (truncated on pages after the first,
  `page_is_empty` being True there);
- the trial fits when the last column leaves nothing;
- a column with no allowed break before its first overflow comes back empty
  and ends the trial; when that is the first column, no box gave a step and
  WeasyPrint steps 1 px at a time, its watch (column_balance.py) skipping the
  trials up to that overflow's amount: the same steps are taken here.

`predict` runs that loop on the atoms and gives the height it ends at, with the
number of failing trials it passed. The caller lays out one trial there, which
must fit (else WeasyPrint's loop runs from the start); that the trial one step
lower fails is the model's. Anything the model does not know — floats,
positioned or out-of-flow boxes, tables, flex, inner columns, fixed heights,
padding or borders on a broken box, forced breaks, `margin-break` other than
auto, a test within rounding of a bottom —
gives None with the reason counted (`Counts.refused`), and WeasyPrint's loop
runs as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from math import inf
from typing import Any, ClassVar

from weasyprint.formatting_structure import boxes
from weasyprint.layout.block import avoid_page_break, block_level_page_break

# Tests this close to a bottom (but not at it, within float noise) are not decided here.
_NOISE = 1e-9
_UNSURE = 2e-6
_AVOID = ("avoid", "avoid-page", "avoid-column")
_LIMIT = 64  # trials the model runs before it gives up
_WATCH = 1e-6  # column_balance's margin on an overflow's amount (its _MARGIN)


TRACE: list[Any] | None = None


class Counts:
    """Balanced containers whose end height was predicted, and why others were not."""

    predicted = 0
    skipped = 0  # failing trials not laid out
    missed = 0  # predictions whose trial did not fit (WeasyPrint's loop ran)
    refused: ClassVar[Counter[str]] = Counter()


class Unknown(Exception):
    """The model cannot decide this container; the message says why."""


@dataclass
class Node:
    """A block of the container (a path of child indexes from the column's box)."""

    path: tuple[int, ...]
    box: Any  # a fragment of it (for styles)
    first: int = -1  # its first and last atom
    last: int = -1
    lines: int = 0  # a paragraph's lines


@dataclass
class Atom:
    """A line, or a block that does not break, in the content's flow."""

    top: float
    bottom: float
    chain: list[tuple[Node, Any]] = field(default_factory=list)  # (node, fragment), outermost first
    line: int = -1  # a line's number in its paragraph (chain[-1])
    reach: float | None = None  # the lowest position tested for it, if not its bottom
    shift: float = 0.0  # its boxes' positions → the flow's (a first trial's next column)

    def tested(self) -> float:
        return self.bottom if self.reach is None else self.reach


def _px(value: Any) -> float:
    if value == "auto" or value == 0:
        return 0.0
    if getattr(value, "unit", None) != "px":
        raise Unknown("length")
    return float(value.value)


def _collapse(margins: list[float]) -> float:
    return max([m for m in margins if m > 0], default=0.0) + min(
        [m for m in margins if m < 0], default=0.0)


def _plain(box: Any) -> None:
    """A block that may break: no padding or border above or below, auto height."""
    style = box.style
    for edge in ("top", "bottom"):
        if _px(style[f"padding_{edge}"]) != 0:
            raise Unknown("padding")
        if style[f"border_{edge}_style"] not in ("none", "hidden") and \
                _px(style[f"border_{edge}_width"]) != 0:
            raise Unknown("border")
    if style["height"] != "auto" or _px(style["min_height"]) != 0:
        raise Unknown("height")
    if style["margin_break"] != "auto" or style["box_decoration_break"] != "slice":
        raise Unknown("margin-break")
    if style["clear"] != "none" or style["position"] not in ("static",):
        raise Unknown("position")


class Flow:
    """The atoms of a container's first trial, in order, with their blocks."""

    def __init__(self, columns: list[Any], skip_stack: Any = None) -> None:
        self.atoms: list[Atom] = []
        self.nodes: dict[tuple[int, ...], Node] = {}
        # the blocks the first column goes on with (from an earlier page): their
        # top margins are gone (WeasyPrint's `remove_decoration`)
        self.continued: set[tuple[int, ...]] = set()
        path: tuple[int, ...] = ()
        while skip_stack:
            (index, skip_stack), = skip_stack.items()
            if skip_stack is None:
                break
            path = (*path, index)
            self.continued.add(path)
        shift = 0.0
        for number, column in enumerate(columns):
            kids = [child for child in column.children]
            if len(kids) != 1 or not kids[0].is_in_normal_flow():
                raise Unknown("children")
            start = len(self.atoms)
            self._walk(kids[0], (getattr(kids[0], "index", 0),), [])
            if number and start < len(self.atoms):
                # the first trial's next column: stitched on as one unbroken flow
                first, before = self.atoms[start], self.atoms[start - 1]
                gap = self._gap(start - 1, start, stitched=True)
                shift = before.bottom + gap - first.top
                for atom in self.atoms[start:]:
                    atom.top += shift
                    atom.bottom += shift
                    if atom.reach is not None:
                        atom.reach += shift
                    atom.shift = shift
        if not self.atoms:
            raise Unknown("empty")
        for index, atom in enumerate(self.atoms):
            for node, _ in atom.chain:
                if node.first < 0:
                    node.first = index
                node.last = index
        # A forced break (`break-before: column`) ends a column wherever it is,
        # whatever the height: not modelled.
        for index in range(1, len(self.atoms)):
            self.may_break(index, 0)

    def _node(self, path: tuple[int, ...], box: Any) -> Node:
        node = self.nodes.get(path)
        if node is None:
            node = self.nodes[path] = Node(path, box)
        return node

    def _walk(self, box: Any, path: tuple[int, ...], chain: list[tuple[Node, Any]]) -> None:
        style = box.style
        node = self._node(path, box)
        here = [*chain, (node, box)]
        if style["float"] != "none" or not box.is_in_normal_flow():
            raise Unknown("float")
        if isinstance(box, boxes.ReplacedBox) or (
                avoid_page_break(style["break_inside"], _IN_COLUMN)
                and isinstance(box, boxes.BlockBox)):
            if not isinstance(box, (boxes.BlockBox, boxes.BlockReplacedBox)):
                raise Unknown("box")
            if style["margin_break"] != "auto" or style["clear"] != "none":
                raise Unknown("margin-break")
            if getattr(box, "is_table_wrapper", False):
                raise Unknown("TableBox")
            if not chain:
                raise Unknown("unbreakable content")
            top = box.border_box_y()
            self.atoms.append(Atom(top, top + box.border_height(), here,
                                   reach=_reach(box, chain[-1][1])))
            return
        if type(box) is not boxes.BlockBox:
            raise Unknown(type(box).__name__)
        _plain(box)
        children = box.children
        if not children:
            raise Unknown("empty block")
        if all(isinstance(child, boxes.LineBox) for child in children):
            for line in children:
                _in_line(line)
                self.atoms.append(Atom(line.position_y, line.position_y + line.height,
                                       here, node.lines))
                node.lines += 1
            return
        for child in children:
            if isinstance(child, boxes.LineBox):
                raise Unknown("mixed")
            index = getattr(child, "index", None)
            if index is None:
                raise Unknown("index")
            self._walk(child, (*path, index), here)

    def closes(self, index: int) -> list[tuple[Node, Any]]:
        return [(node, box) for node, box in self.atoms[index].chain if node.last == index]

    def _gap(self, before: int, after: int, stitched: bool = False) -> float:
        """What lies between two atoms in an unbroken flow: collapsed margins."""
        a, b = self.atoms[before], self.atoms[after]
        if a.line >= 0 and b.line >= 0 and a.chain[-1][0] is b.chain[-1][0]:
            return 0.0
        if stitched:  # nodes' first/last atoms are not known yet: the boxes around
            # one atom and not the other end or start between them
            paths_a = {node.path for node, _ in a.chain}
            paths_b = {node.path for node, _ in b.chain}
            closes = [box for node, box in a.chain if node.path not in paths_b]
            opens = [box for node, box in b.chain if node.path not in paths_a]
        else:
            closes = [box for _, box in self.closes(before)]
            opens = [box for _, box in self.opens(after)]
        return _collapse([_px(box.style["margin_bottom"]) for box in closes]
                         + [_px(box.style["margin_top"]) for box in opens])

    def opens(self, index: int) -> list[tuple[Node, Any]]:
        """The blocks that start at atom `index`, outermost first."""
        return [(node, box) for node, box in self.atoms[index].chain
                if node.first == index and node.path not in self.continued]

    def top_gap(self, index: int) -> float:
        """The margins above atom `index` at a column's top (kept: page_is_empty False)."""
        return _collapse([_px(box.style["margin_top"]) for _, box in self.opens(index)])

    def may_break(self, index: int, start: int) -> bool:
        """May a column that starts at atom `start` end before atom `index`?"""
        if index <= start:
            return False
        a, b = self.atoms[index - 1], self.atoms[index]
        para = b.chain[-1][0]
        if a.line >= 0 and b.line >= 0 and a.chain[-1][0] is para:
            box = b.chain[-1][1]
            here = b.line - max(self.atoms[start].line if
                                self.atoms[start].chain[-1][0] is para else 0, 0)
            return bool(here >= box.style["orphans"]
                        and para.lines - b.line >= box.style["widows"])
        closes, opens = self.closes(index - 1), self.opens(index)
        if not closes or not opens:
            raise Unknown("break")
        (x_node, x_box), (y_node, y_box) = closes[0], opens[0]
        if x_node.path[:-1] != y_node.path[:-1]:
            raise Unknown("siblings")
        value = block_level_page_break(x_box, y_box)
        if value not in ("auto", *_AVOID):
            raise Unknown("forced break")
        return bool(value == "auto")

    def piece(self, index: int, truncate: bool) -> float:
        """What WeasyPrint's look-ahead lays out of the content from atom `index`:
        the rest at an unlimited bottom space (its bottom at minus infinity) with
        `page_is_empty` True, i.e. only what may overflow at a page's top: the
        first line, or a block's first line or image. Its height, as the look-ahead
        reads it (the margin box of the column's first box): the margins above it
        collapse through that box's top and are not counted; a line whose box
        starts here loses that box's own top margin from its height
        (`_linebox_layout` moves the line up by it when a page's first line
        overflows, then the box's top moves down by the collapsed margins, so
        the box is that much shorter, or empty) unless it was truncated (pages
        after the first)."""
        atom = self.atoms[index]
        opened = {node.path for node, _ in self.opens(index)}
        if atom.line >= 0:
            node, owner = atom.chain[-1]
            lost = 0.0 if truncate or node.path not in opened else _px(
                owner.style["margin_top"])
            return max(0.0, atom.bottom - atom.top - lost)
        box = atom.chain[-1][1]
        leaf = _first_leaf(box)
        if isinstance(leaf, boxes.LineBox):
            owner = _owner(box, leaf)
            lost = 0.0 if truncate else _px(owner.style["margin_top"])
            height: float = leaf.height
            return max(0.0, height - lost)
        if any(_px(leaf.style[f"margin_{edge}"]) for edge in ("top", "bottom")):
            raise Unknown("look-ahead")
        whole: float = leaf.border_height()
        return whole


def _owner(box: Any, leaf: Any) -> Any:
    """The box whose line `leaf` is (its first line, down the first children)."""
    while leaf not in box.children:
        box = box.children[0]
    return box


def _in_line(line: Any) -> None:
    """A line's content is all in it: no float, positioned, running or footnote box."""
    for inline in line.descendants():
        if inline.is_floated() or inline.is_absolutely_positioned() \
                or inline.is_running() or inline.footnote is not None:
            raise Unknown("float")


def _reach(box: Any, parent: Any) -> float:
    """The lowest position WeasyPrint tests against a column's foot while it lays
    out `box`, a block that does not break (so it fits only if every test passes):
    its border box's bottom, tested with its own padding and border below added
    again (and its margin when its parent's does not collapse: `_in_flow_layout`),
    and the same of every block inside it, and every line's bottom (lines that run
    past a caption of fixed height are tested where they are). Only blocks,
    replaced boxes and lines are known here."""
    if not box.is_in_normal_flow():
        raise Unknown("float")
    if type(box) not in (boxes.BlockBox, boxes.BlockReplacedBox) \
            or getattr(box, "is_table_wrapper", False):
        raise Unknown(type(box).__name__)
    decoration = box.padding_bottom + box.border_bottom_width
    reach: float = box.border_box_y() + box.border_height() + decoration
    if not parent.bottom_margin_collapses():
        reach += box.margin_bottom
    children = box.children if isinstance(box, boxes.ParentBox) else []
    for child in children:
        if isinstance(child, boxes.LineBox):
            _in_line(child)
            bottom = child.position_y + child.height
            if child is children[-1]:
                bottom += decoration
            reach = max(reach, bottom)
        else:
            reach = max(reach, _reach(child, box))
    return reach


def _tests(box: Any, parent: Any) -> Iterator[float]:
    """The positions WeasyPrint tests against a column's foot while it lays out
    `box`, in its order (`_linebox_layout`, `_in_flow_layout`): each line's
    bottom, each block's inside, then its content's bottom, then its border's with
    its padding and border below again. With no padding or border below anywhere
    in it, none after the first that overflows can overflow too (the boxes above
    it give up, or are broken and end at the foot)."""
    decoration = box.padding_bottom + box.border_bottom_width
    if decoration:
        raise Unknown("no step")
    children = box.children if isinstance(box, boxes.ParentBox) else []
    for child in children:
        if isinstance(child, boxes.LineBox):
            yield child.position_y + child.height
        else:
            yield from _tests(child, box)
    yield box.content_box_y() + box.height
    bottom: float = box.border_box_y() + box.border_height()
    yield bottom + (0 if parent.bottom_margin_collapses() else box.margin_bottom)


def _decoration(style: Any, edge: str) -> float:
    """Padding and border on one edge of a box, by style."""
    border = 0.0 if style[f"border_{edge}_style"] in ("none", "hidden") else _px(
        style[f"border_{edge}_width"])
    return _px(style[f"padding_{edge}"]) + border


def _first_leaf(box: Any) -> Any:
    """A block's first line or image, down its first children, which must have no
    padding or border above (and the block none below: it may be laid out whole)."""
    if _decoration(box.style, "bottom"):
        raise Unknown("look-ahead")
    while not isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
        children = [child for child in box.children if child.is_in_normal_flow()]
        if not children or not isinstance(box, boxes.BlockContainerBox) \
                or len(children) != len(box.children) \
                or _decoration(box.style, "top"):
            raise Unknown("look-ahead")
        box = children[0]
    return box


class _InColumn:
    in_column = True


_IN_COLUMN = _InColumn()


@dataclass
class Prediction:
    height: float
    failing: int  # failing trials WeasyPrint lays out before it
    # no trial fits below the page's height: WeasyPrint stops balancing and lays the
    # columns out at the page's height (`height`), filled one after the other
    stop: bool = False


def _overflows(bottom: float, position: float) -> bool:
    """WeasyPrint's test, refused where float noise could decide it."""
    near = abs(position - bottom)
    if _NOISE < near < _UNSURE:
        raise Unknown("rounding")
    if near <= _NOISE:
        return False
    return position > bottom * (1 + 1e-9)


def _fill(flow: Flow, start: int, top: float, bottom: float) -> int | None:
    """Where a column from atom `start`, its content at `top`, breaks (the atom the
    next column starts at), None when everything fits, or `start` when nothing
    may stay in it (no allowed break before the first atom that overflows: every
    box up to the column's is given up, page_is_empty being False)."""
    atoms = flow.atoms
    origin = top + flow.top_gap(start) - atoms[start].top
    for index in range(start, len(atoms)):
        if _overflows(bottom, atoms[index].tested() + origin):
            for at in range(index, start, -1):
                if flow.may_break(at, start):
                    return at
            return start
    return None


def predict(flow: Flow, count: int, height: float, lost_space: float, max_height: float,
            page_bottom: float, top: float, truncate: bool) -> Prediction:
    """The height WeasyPrint's balancing loop ends at, from `height` (the first
    balancing height) and `lost_space` (its running minimum so far)."""
    for failing in range(_LIMIT):
        bottom_space = page_bottom - top - height
        bottom = page_bottom - bottom_space
        start: int | None = 0
        slack = inf
        for _ in range(count):
            assert start is not None
            at = _fill(flow, start, top, bottom)
            if at is None:
                return Prediction(height, failing)
            if at == start:  # the column came back empty: the trial fails here
                # (WeasyPrint's "we didn't render anything"), with the steps of the
                # columns before it
                if start == 0:
                    slack = _slack(flow, top, bottom)
                break
            # this column leaves content: WeasyPrint's look-ahead is the height of
            # the rest's first piece (Flow.piece); the column itself reaches its
            # foot (its content is stretched to it: empty space 0)
            rest = flow.piece(at, truncate)
            if TRACE is not None:
                TRACE.append((height, start, at, rest))
            if rest > 1:
                lost_space = min(lost_space, rest)
            start = at
        if lost_space < inf:
            height += lost_space
        else:
            # No box gave a step (the first column came back empty): WeasyPrint steps
            # 1 px, and its watch (column_balance.py) skips the 1-px trials that fail
            # as this one did, up to the least overflow of its tests, the first atom's.
            if slack == inf:
                raise Unknown("no step")
            tried = height
            height += 1
            while height <= max_height and height - tried < slack:
                height += 1
        if height > max_height:
            return Prediction(max_height, failing + 1, stop=True)
    raise Unknown("too many trials")


def _slack(flow: Flow, top: float, bottom: float) -> float:
    """The first column, given up: by how much its first atom overflowed, as
    column_balance's watch counts it (the only test that overflowed: the boxes
    above it give up without another). Lines and images only; a block's own first
    failing test is not known here."""
    atoms = flow.atoms
    origin = top + flow.top_gap(0) - atoms[0].top
    for atom in atoms:
        if _overflows(bottom, atom.tested() + origin):
            position = atom.tested() + origin
            if atom.line < 0:  # the first of the block's own tests that overflows
                box, parent = atom.chain[-1][1], atom.chain[-2][1]
                shift = origin + atom.shift
                position = next(tested + shift for tested in _tests(box, parent)
                                if _overflows(bottom, tested + shift))
            slack = position - bottom - _WATCH * max(1.0, abs(bottom))
            if abs(slack - round(slack)) < _UNSURE:
                raise Unknown("rounding")
            return slack
    raise Unknown("no step")


def trial_flow(columns: list[Any], skip_stack: Any = None) -> Flow:
    return Flow(columns, skip_stack)
