"""WeasyPrint 70's multi-column layout, without the look-ahead it throws away.

A copy of `weasyprint.layout.column.columns_layout` (WeasyPrint 70.0, BSD
licence, © Kozea) that gives the same boxes with less layout. Stock WeasyPrint,
after each column of a trial, lays out *everything left in the container* at
an unlimited height, to learn the height of the box that starts the next
column (`next_box_height`, for the step of its next trial height) — on every
page of a long article, although the step is only used when the columns are
balanced, i.e. on the container's last page, where another trial follows.
Here those look-aheads are remembered (`pending`) and laid out only when
another trial follows (`_lost_space`), with the same minimum as WeasyPrint's;
when the content overflows the page, never. Everything else is WeasyPrint's
code, unchanged; together with column_lines.py (each line broken once) a text
page's columns cost about a third of WeasyPrint's.

`columns_layout` is used (grid_columns.py) only where its order of work does
not matter: no footnotes (a trial's footnotes change the next trial's height)
and no relatively positioned container.

`watch` is a hook: it gives nothing here (every trial is laid out); the
column_balance extension (column_balance.py) puts a watch there that lets the
balancing loop skip the 1-px trials that cannot come out differently.
"""

from __future__ import annotations

from math import floor, inf, isfinite
from typing import Any, ClassVar

from weasyprint.layout.absolute import absolute_layout
from weasyprint.layout.column import _create_column_box, _report_footnotes
from weasyprint.layout.percent import percentage, resolve_percentages

from bulletin_press.typeset.ext import column_model, column_tops

# A test against a bottom that is not the columns' own counts as passing at a lower
# height only this far above it (rounding; as column_balance.py's margin).
_MARGIN = 1e-6


def watch(context: Any, keep: bool = False) -> Any:
    """What watches one trial's columns (column_balance.py's `Watch`), or None;
    `keep`: with every overflow test kept (for `_settles`)."""
    return None


class Counts:
    """Columns containers' layouts: trials, and final columns taken from the last
    trial or laid out; `proven` of the reused were laid out with page_is_empty
    False for True (column_tops.py); `refused` first trials were laid out again
    with True because that proof did not hold (WeasyPrint's way, the fallback)."""

    reused = 0
    laid_out = 0
    trials = 0
    proven = 0
    refused = 0
    kept = 0  # columns of refused first trials that were proven, not laid out again
    settled = 0  # one-column containers whose balancing trial was the first (_settles)


class Switch:
    """`on` False: no trial stands for a layout with the other page_is_empty."""

    on = True


class Model:
    """`on`: a two-column container's balancing trials that fail are not laid out
    when column_model.py predicts the height WeasyPrint's loop ends at. `check`:
    WeasyPrint's loop runs as before, and each prediction is kept beside the
    height and failing trials the loop found (`seen`: predicted height or None,
    predicted failing trials, the height found, failing trials found)."""

    on = True
    check = False
    seen: ClassVar[list[tuple[float | None, int, float, int]]] = []


def _predict(context: Any, trial: _Trial, count: int, height: float, lost_space: float,
             max_height: float, top: float, skip_stack: Any) -> column_model.Prediction | None:
    """column_model's prediction for a container the first trial fitted, or None
    (the reason counted)."""
    if not (trial.complete and trial.tidy and trial.columns):
        column_model.Counts.refused["trial"] += 1
        return None
    try:
        flow = column_model.trial_flow(trial.columns, skip_stack)
        return column_model.predict(
            flow, count, height, lost_space, max_height, context.page_bottom, top,
            truncate=context.current_page > 1 and not context.forced_break)
    except column_model.Unknown as unknown:
        column_model.Counts.refused[str(unknown)] += 1
        return None


class _Trial:
    """One trial's columns, and whether they can be the final columns as they are.

    WeasyPrint lays the columns out once more after the last trial, at the height
    the trials found, with the container's own `page_is_empty` and lists of
    absolute and fixed boxes. When the last trial was laid out at that height
    with the same `page_is_empty` and bottom space, and left nothing beside its
    boxes (no floated box, footnote or running element, which the final layout
    would register where the trial's were removed: `tidy`), the final layout
    gives the same boxes, only column i is `i × (width + gap)` further right: the
    trial's are moved there instead of laid out again. Its absolute and fixed
    boxes (a list's outside markers) are the placeholders the final layout would
    have put in the container's lists: they are put there.

    A placeholder is not a copy: it stands for the source's marker box itself,
    which every layout of that list item moves to its own static position (the
    li's first line, block.py's `_out_of_flow_layout`). A later trial, or the
    look-ahead of `_lost_space`, that lays the same items out elsewhere moves the
    markers of this trial's boxes with them (seen: every number of a list one
    line above its item, where a refused first trial's columns were kept after
    the trial with page_is_empty True had set the column's top margin off). So
    each placeholder's position is kept when the trial ends (`statics`) and put
    back when its columns are reused.
    """

    def __init__(self, context: Any, box: Any, height: float, page_is_empty: bool,
                 bottom_space: float) -> None:
        self.context, self.box = context, box
        self.height, self.page_is_empty, self.bottom_space = height, page_is_empty, bottom_space
        self.absolutes: list[Any] = []
        self.fixed: list[Any] = []
        self.columns: list[Any] = []
        self.starts: list[Any] = []  # each column's skip stack
        self.ends: list[Any] = []  # where each column stopped
        self.pages: list[Any] = []  # and the next page it asked for
        self.resume_at: Any = None
        self.next_page: Any = None
        self.complete = True
        self.state = self._state()
        self.clean = self.tidy = False
        self.statics: list[tuple[Any, float, float]] = []  # (placeholder, x, y)

    def _state(self) -> tuple[int, ...]:
        context = self.context
        return (len(context.excluded_shapes), len(context.broken_out_of_flow),
                len(context.current_page_footnotes), len(context.footnotes),
                len(context.reported_footnotes),
                sum(len(boxes) for pages in context.running_elements.values()
                    for boxes in pages.values()))

    def column(self, new_box: Any, start: Any, resume_at: Any, next_page: Any) -> None:
        if new_box is None:
            self.complete = False
            return
        self.columns.append(new_box)
        self.starts.append(start)
        self.ends.append(resume_at)
        self.pages.append(next_page)
        self.resume_at, self.next_page = resume_at, next_page

    def proven(self) -> bool:
        """Laid out with page_is_empty False, are these the columns with True too?"""
        return self.complete and self.leading() == len(self.columns)

    def leading(self) -> int:
        """How many of its first columns are the columns with True too (column_tops)."""
        if not (Switch.on and not self.page_is_empty and self.tidy):
            return 0
        return column_tops.proven(self.context, self.box, self.columns, self.starts,
                                  self.ends, self.bottom_space)

    def kept(self, count: int) -> list[tuple[Any, Any, Any]]:
        """Its first `count` columns as a trial's loop gets them from WeasyPrint."""
        return list(zip(self.columns, self.ends, self.pages, strict=True))[:count]

    def stop(self) -> None:
        self.tidy = self._state() == self.state
        self.clean = self.tidy and not self.absolutes and not self.fixed
        self.statics = [(placeholder, placeholder.position_x, placeholder.position_y)
                        for placeholder in (*self.absolutes, *self.fixed)]

    def _placed(self) -> None:
        """Its placeholders where this trial put them (see the class). Set, not
        moved: none is laid out yet (absolute boxes are, when their containing
        block ends: the page, a relative container is not laid out here, `usable`)."""
        for placeholder, x, y in self.statics:
            placeholder.position_x, placeholder.position_y = x, y  # the box's (forwarded)

    def final(self, height: float, page_is_empty: bool, bottom_space: float, count: int,
              height_defined: bool, direction: str) -> _Trial | None:
        if not (self.tidy and self.complete and self.columns and height == self.height
                and bottom_space == self.bottom_space and not height_defined
                and direction == "ltr" and len(self.columns) <= count
                and (self.resume_at is None or len(self.columns) == count)):
            return None
        if page_is_empty != self.page_is_empty:
            if not (page_is_empty and self.proven()):
                return None
            Counts.proven += 1
        self._placed()
        return self


def _moved(columns: list[Any], step: float) -> list[Any]:
    """A trial's columns (all laid out where the first is) moved into place."""
    for i, column in enumerate(columns):
        column.translate(i * step, 0)
    return columns


def _settles(context: Any, seen: Any, tried: float, height: float, top: float) -> bool:
    """Would a trial at `height` lay the columns out as the trial at `tried` did?

    A trial depends on its height only through WeasyPrint's overflow tests
    (column_balance.py). When the trial at `tried` passed every test against
    its columns' bottom, and each of those positions passes against the bottom
    at `height` too (computed as WeasyPrint computes it), every test comes out
    the same, so the trial at `height` gives the same boxes: a one-column
    container, balanced at its content's height, is that trial. A test against
    another bottom than the columns' (less what boxes add below: a table's
    footer, a border) is taken to move up with the height, less a margin for
    rounding. A test against a box's own bottom (a box of fixed height, block.py
    and flex.py) comes out the same when every test before it did: the box is
    where it was and as tall. A watch that saw a float or inner columns
    (`spoiled`), or a test that overflowed: no.
    """
    if seen is None or seen.spoiled or seen.tests is None:
        return False
    bottom = context.page_bottom - (context.page_bottom - top - tried)
    lower = context.page_bottom - (context.page_bottom - top - height)
    for tested, position, overflowed, paged in seen.tests:
        if overflowed:
            return False
        if not paged:  # against a box's own bottom (a fixed height): it has not moved
            continue
        if tested == bottom:  # the columns' bottom: computed as WeasyPrint does
            if context.overflows(lower, position):
                return False
        elif isfinite(tested):  # a bottom above it by what the boxes add (borders,
            # a table's footer): it moves by as much, give or take the rounding
            moved = tested - (tried - height)
            if position > moved - _MARGIN * max(1.0, abs(moved)):
                return False
        # an infinite bottom (a table's header and footer) does not move
    return True


def usable(context: Any, box: Any) -> bool:
    """May `columns_layout` lay out `box` (see the module's docstring)?"""
    return (not context.footnotes and not context.current_page_footnotes
            and not context.reported_footnotes and box.style["position"] != "relative")


def _lost_space(context: Any, column_box: Any, containing_block: Any,
                first_letter_style: Any, first_line_style: Any,
                pending: list[tuple[Any, float]], lost_space: float) -> float:
    """WeasyPrint's look-ahead, for the columns of a trial that left content over:
    the least height that moves one more box up a column, as its loop finds it."""
    from weasyprint.layout.block import block_box_layout, remove_placeholders

    for column_skip_stack, empty_space in pending:
        next_box_height = 0
        next_box = block_box_layout(
            context, column_box, inf, column_skip_stack, containing_block, True, [], [], [],
            first_letter_style, first_line_style, discard=False, max_lines=None)[0]
        for child in next_box.children:
            if child.is_in_normal_flow():
                next_box_height = child.margin_height()
                break
        remove_placeholders(context, [next_box], [], [])
        if next_box_height - empty_space > 1:
            lost_space = min(lost_space, next_box_height - empty_space)
    pending.clear()
    return lost_space


def columns_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any,
                   containing_block: Any, page_is_empty: bool, absolute_boxes: list[Any],
                   fixed_boxes: list[Any], adjoining_margins: list[float],
                   first_letter_style: Any, first_line_style: Any) -> Any:
    """Lay out a multi-column ``box`` (WeasyPrint 70's, see the module's docstring)."""
    from weasyprint.layout.block import (  # isort:skip
        block_box_layout, block_level_layout, block_level_width,
        collapse_margin, remove_placeholders)

    columns_and_blocks: list[tuple[int, Any]]
    pending: list[tuple[Any, float]]

    style = box.style
    width = style['column_width']
    count = style['column_count']
    height = style['height']
    original_bottom_space = bottom_space
    context.in_column = True

    if style['position'] == 'relative':
        # New containing block, use a new absolute list
        absolute_boxes = []

    box = box.copy_with_children(box.children)
    box.position_y += collapse_margin(adjoining_margins)

    # Set height if defined
    if height != 'auto' and height.unit != '%':
        assert height.unit.lower() == 'px'
        height_defined = True
        empty_space = context.page_bottom - box.content_box_y() - height.value
        bottom_space = max(bottom_space, empty_space)
    else:
        height_defined = False

    # TODO: the columns container width can be unknown if the containing block
    # needs the size of this block to know its own size
    block_level_width(box, containing_block)

    if style['column_gap'] == 'normal':
        # 1em because in column context
        gap = style['font_size']
    else:
        gap = percentage(style['column_gap'], box.style, box.width)

    # Define the number of columns and their widths
    if width == 'auto' and count != 'auto':
        width = max(0, box.width - (count - 1) * gap) / count
    elif width != 'auto' and count == 'auto':
        count = max(1, floor((box.width + gap) / (width + gap)))
        width = (box.width + gap) / count - gap
    else:  # overconstrained, with width != 'auto' and count != 'auto'
        count = max(1, min(count, floor((box.width + gap) / (width + gap))))
        width = (box.width + gap) / count - gap

    # Handle column-span property with the following structure:
    # columns_and_blocks = [
    #     [column_child_1, column_child_2],
    #     spanning_block,
    #     …
    # ]
    columns_and_blocks = []
    column_children: list[Any] = []
    skip, = skip_stack.keys() if skip_stack else (0,)
    for i, child in enumerate(box.children[skip:], start=skip):
        if child.style['column_span'] == 'all':
            if column_children:
                columns_and_blocks.append(
                    (i - len(column_children), column_children))
            columns_and_blocks.append((i, child.copy()))
            column_children = []
            continue
        column_children.append(child.copy())
    if column_children:
        columns_and_blocks.append(
            (i + 1 - len(column_children), column_children))

    if skip_stack:
        skip_stack = {0: skip_stack[skip]}

    if not box.children:
        next_page = {'break': 'any', 'page': None}
        skip_stack = None

    # Find height and balance.
    #
    # The current algorithm starts from the total available height, to check
    # whether the whole content can fit. If it doesn’t fit, we keep the partial
    # rendering. If it fits, we try to balance the columns starting from the
    # ideal height (the total height divided by the number of columns). We then
    # iterate until the last column is not the highest one. At the end of each
    # loop, we add the minimal height needed to make one direct child at the
    # top of one column go to the end of the previous column.
    #
    # We rely on a real rendering for each loop, and with a stupid algorithm
    # like this it can last minutes…

    adjoining_margins = []
    current_position_y = box.content_box_y()
    new_children = []
    column_skip_stack = None
    last_loop = False
    break_page = False
    footnote_area_heights = [
        0 if context.current_footnote_area.height == 'auto'
        else context.current_footnote_area.margin_height()]
    last_footnotes_height = 0
    for index, column_children_or_block in columns_and_blocks:
        if not isinstance(column_children_or_block, list):
            # We have a spanning block, we display it like other blocks
            block = column_children_or_block
            resolve_percentages(block, containing_block)
            block.position_x = box.content_box_x()
            block.position_y = current_position_y
            new_child, resume_at, next_page, adjoining_margins, _, _ = (
                block_level_layout(
                    context, block, original_bottom_space, skip_stack, containing_block,
                    page_is_empty, absolute_boxes, fixed_boxes, adjoining_margins,
                    first_letter_style, first_line_style))
            skip_stack = None
            if new_child is None:
                last_loop = True
                break_page = True
                break
            new_children.append(new_child)
            current_position_y = (
                new_child.border_height() + new_child.border_box_y())
            adjoining_margins.append(new_child.margin_bottom)
            if resume_at:
                last_loop = True
                break_page = True
                column_skip_stack = resume_at
                break
            page_is_empty = False
            continue

        # We have a list of children that we have to balance between columns
        column_children = column_children_or_block

        # Find the total height available for the first run
        current_position_y += collapse_margin(adjoining_margins)
        adjoining_margins = []
        column_box = _create_column_box(
            box, containing_block, column_children, width, current_position_y)
        height = max_height = (
            context.page_bottom - current_position_y - original_bottom_space)

        # Try to render columns until the content fits, increase the column
        # height step by step
        column_skip_stack = skip_stack
        lost_space: float = inf
        original_excluded_shapes = context.excluded_shapes[:]
        original_page_is_empty = page_is_empty
        page_is_empty = stop_rendering = balancing = False
        # The first trial is WeasyPrint's with page_is_empty True. Where the final
        # columns take False, it is laid out with False and kept when that proves to
        # be the same layout (column_tops.py): then, if the content overflows the
        # page, it is the final columns too. Otherwise it is laid out again with True.
        speculate = (Switch.on and not original_page_is_empty
                     and column_tops.in_flow(context, box)
                     and column_tops.may_hold(context, column_children, skip_stack))
        spare: _Trial | None = None  # that trial when it was not kept (see below)
        # column_model's prediction: (the first balancing height and lost space, to
        # go back to if the trial at the predicted height does not fit), the
        # prediction, and balancing trials laid out
        restart: tuple[float, float] | None = None
        guess: column_model.Prediction | None = None
        balanced = 0
        kept: list[tuple[Any, Any, Any]] = []  # its first columns that are proven
        while True:
            # Remove extra excluded shapes introduced during the previous loop
            while len(context.excluded_shapes) > len(original_excluded_shapes):
                context.excluded_shapes.pop()

            # Render the columns
            column_skip_stack = skip_stack
            pending = []
            consumed_heights = []
            new_boxes = []
            tried = height
            seen = watch(context, count == 1 and not balancing)
            if seen is not None:
                seen.start()
            laid_empty = (page_is_empty or not balancing) and not (speculate and not balancing)
            trial = _Trial(context, box, height, laid_empty,
                           context.page_bottom - current_position_y - height)
            Counts.trials += 1
            for i in range(count):
                # Render one column
                if i < len(kept):  # laid out with False, proven to be the one with True
                    new_box, resume_at, next_page = kept[i]
                else:
                    new_box, resume_at, next_page, _, _, _ = block_box_layout(
                        context, column_box,
                        context.page_bottom - current_position_y - height,
                        column_skip_stack, containing_block,
                        laid_empty, trial.absolutes, trial.fixed, [],
                        first_letter_style, first_line_style, discard=False,
                        max_lines=None)
                trial.column(new_box, column_skip_stack, resume_at, next_page)
                if new_box is None:
                    # We didn't render anything, retry
                    column_skip_stack = {0: None}
                    break
                new_boxes.append(new_box)
                column_skip_stack = resume_at

                # Calculate consumed height, empty space and next box height
                in_flow_children = [
                    child for child in new_box.children
                    if child.is_in_normal_flow()]
                if in_flow_children:
                    # Get the empty space at the bottom of the column box
                    consumed_height = (
                        in_flow_children[-1].margin_height() +
                        in_flow_children[-1].position_y - current_position_y)
                    empty_space = height - consumed_height
                    consumed_height -= in_flow_children[-1].margin_bottom

                    # The size needed to render the next box: only needed if
                    # another trial follows, computed then (see _lost_space)
                    if column_skip_stack:
                        pending.append((column_skip_stack, empty_space))
                else:
                    consumed_height = empty_space = 0

                consumed_heights.append(consumed_height)

                # Append the size needed to render the next box in this
                # column.
                #
                # The next box size may be smaller than the empty space, for
                # example when the next box can't be separated from its own
                # next box. In this case we don't try to find the real value
                # and let the workaround below fix this for us.
                #
                # We also want to avoid very small values that may have been
                # introduced by rounding errors. As the workaround below at
                # least adds 1 pixel for each loop, we can ignore lost spaces
                # lower than 1px.

                # Stop if we already rendered the whole content
                if resume_at is None:
                    break

            if seen is not None:
                seen.stop()
            trial.stop()
            kept = []

            # Remove placeholders but keep the current footnote area height
            last_footnotes_height = (
                0 if context.current_footnote_area.height == 'auto'
                else context.current_footnote_area.margin_height())
            if not trial.clean:  # a clean trial left nothing to remove (_Trial)
                remove_placeholders(context, new_boxes, [], [])

            if speculate and not balancing:
                speculate = False
                if not trial.proven():
                    # Not provably WeasyPrint's trial: lay it out as WeasyPrint does,
                    # from the first column the proof does not hold for (the ones
                    # before it are WeasyPrint's already). Its columns stay the final
                    # columns if that trial overflows the page (the same height and
                    # page_is_empty as they have).
                    Counts.refused += 1
                    kept = trial.kept(trial.leading())
                    Counts.kept += len(kept)
                    spare = trial
                    continue

            if last_loop:
                break

            if balancing:
                balanced += 1
                if column_skip_stack is None:
                    # We rendered the whole content, stop
                    break
                if restart is not None:
                    # The predicted trial did not fit: WeasyPrint's loop from its start.
                    column_model.Counts.missed += 1
                    height, lost_space = restart
                    restart = None
                    continue

                # Increase the column heights and render them again
                lost_space = _lost_space(
                    context, column_box, containing_block, first_letter_style,
                    first_line_style, pending, lost_space)
                add_height = 1 if lost_space == inf else lost_space
                height += add_height

                if height > max_height:
                    # We reached max height, stop rendering
                    height = max_height
                    stop_rendering = True
                    break

                # WeasyPrint steps by 1 px when it found no smaller step: the
                # trials its watch proves would fail as this one did are not
                # laid out, only their steps taken (column_balance.py).
                if lost_space == inf and seen is not None:
                    while seen.fails_again(height - tried):
                        height += 1
                        if height > max_height:
                            height = max_height
                            stop_rendering = True
                            break
                    if stop_rendering:
                        break
            else:
                if last_footnotes_height not in footnote_area_heights:
                    # Footnotes have been rendered, try to re-render with the
                    # new footnote area height
                    height -= last_footnotes_height - footnote_area_heights[-1]
                    footnote_area_heights.append(last_footnotes_height)
                    continue

                everything_fits = (
                    not column_skip_stack and
                    max(consumed_heights) <= max_height)
                if everything_fits:
                    # Everything fits, start expanding columns at the average
                    # of the column heights
                    if (style['column_fill'] == 'balance' or
                            index < columns_and_blocks[-1][0]):
                        balancing = True
                        lost_space = _lost_space(
                            context, column_box, containing_block, first_letter_style,
                            first_line_style, pending, lost_space)
                        height = sum(consumed_heights) / count
                        # One column: the balancing trial at that height is this
                        # trial when every overflow test comes out the same there
                        # (_settles); then it is not laid out, and the loop ends.
                        if count == 1 and _settles(context, seen, tried, height,
                                                   current_position_y):
                            Counts.settled += 1
                            trial.height = height
                            trial.bottom_space = (
                                context.page_bottom - current_position_y - height)
                            break
                        # Two columns and more: the failing trials before the height the
                        # loop ends at are not laid out where column_model knows it.
                        if count > 1 and Model.on:
                            guess = _predict(context, trial, count, height, lost_space,
                                             max_height, current_position_y, skip_stack)
                            if guess is not None and guess.failing and not Model.check:
                                column_model.Counts.predicted += 1
                                column_model.Counts.skipped += guess.failing
                                if guess.stop:
                                    # WeasyPrint's loop reaches the page's height and
                                    # stops: the columns at that height, unbalanced
                                    height = max_height
                                    stop_rendering = True
                                    break
                                restart = (height, lost_space)
                                height = guess.height
                    else:
                        break
                else:
                    # Content overflows even at maximum height, stop now and
                    # let the columns continue on the next page
                    stop_rendering = True
                    break

        if Model.check and balancing and count > 1:
            Model.seen.append((None if guess is None else guess.height,
                               -1 if guess is None else guess.failing,
                               height, balanced - (0 if stop_rendering else 1)))

        # TODO: check style['max']-height
        bottom_space = max(
            bottom_space, context.page_bottom - current_position_y - height)

        # Replace the current box children with real columns
        i = 0
        max_column_height = 0
        columns: list[Any] = []
        # The last trial's columns are these columns when it was laid out at this
        # height under the same conditions (_Trial.final): only moved into place.
        final = trial.final(height, original_page_is_empty, bottom_space, count,
                            height_defined, style['direction'])
        if final is None and spare is not None:
            final = spare.final(height, original_page_is_empty, bottom_space, count,
                                height_defined, style['direction'])
        if final is not None:
            Counts.reused += 1
            absolute_boxes.extend(final.absolutes)
            fixed_boxes.extend(final.fixed)
            for new_child in _moved(final.columns, width + gap):
                columns.append(new_child)
                max_column_height = max(max_column_height, new_child.margin_height())
            next_page = final.next_page
            skip_stack = column_skip_stack = final.resume_at
            if skip_stack is None:
                bottom_space = original_bottom_space
        else:
            Counts.laid_out += 1
        while final is None:
            column_box = _create_column_box(
                box, containing_block, column_children, width,
                current_position_y)
            if style['direction'] == 'rtl':
                column_box.position_x += box.width - (i + 1) * width - i * gap
            else:
                column_box.position_x += i * (width + gap)
            new_child, column_skip_stack, column_next_page, _, _, _ = (
                block_box_layout(
                    context, column_box, bottom_space, skip_stack, containing_block,
                    original_page_is_empty, absolute_boxes, fixed_boxes, None,
                    first_letter_style, first_line_style, discard=False,
                    max_lines=None))
            if new_child is None:
                columns = []
                break_page = True
                break
            next_page = column_next_page
            skip_stack = column_skip_stack
            columns.append(new_child)
            max_column_height = max(
                max_column_height, new_child.margin_height())
            if skip_stack is None:
                bottom_space = original_bottom_space
                break
            i += 1
            if i == count and not height_defined:
                # [If] a declaration that constrains the column height
                # (e.g., using height or max-height). In this case,
                # additional column boxes are created in the inline
                # direction.
                break

        # Update the current y position and set the columns’ height
        current_position_y += min(max_height, max_column_height)
        for column in columns:
            column.height = max_column_height
            new_children.append(column)

        skip_stack = None
        page_is_empty = False

        if stop_rendering:
            break

    # Report footnotes above the defined footnotes height
    _report_footnotes(context, footnote_area_heights[-1])

    if box.children and not new_children:
        # The box has children but none can be drawn, let's skip the whole box
        context.in_column = False
        return None, (0, None), {'break': 'any', 'page': None}, [], False

    # Set the height of the containing box
    box.children = new_children
    current_position_y += collapse_margin(adjoining_margins)
    height = current_position_y - box.content_box_y()
    if box.height == 'auto':
        box.height = height
        height_difference = 0
    else:
        height_difference = box.height - height

    # Update the latest columns’ height to respect min-height
    if box.min_height != 'auto' and box.min_height > box.height:
        height_difference += box.min_height - box.height
        box.height = box.min_height
    for child in new_children[::-1]:
        if child.is_column:
            child.height += height_difference
        else:
            break

    if style['position'] == 'relative':
        # New containing block, resolve the layout of the absolute descendants
        for absolute_box in absolute_boxes:
            absolute_layout(
                context, absolute_box, box, fixed_boxes, bottom_space,
                skip_stack=None)

    # Calculate skip stack
    if column_skip_stack:
        skip, = column_skip_stack.keys()
        skip_stack = {index + skip: column_skip_stack[skip]}
    elif break_page:
        skip_stack = {index: None}

    # Update page bottom according to the new footnotes
    if context.current_footnote_area.height != 'auto':
        context.page_bottom += footnote_area_heights[0]
        context.page_bottom -= context.current_footnote_area.margin_height()

    context.in_column = False
    return box, skip_stack, next_page, [], False
