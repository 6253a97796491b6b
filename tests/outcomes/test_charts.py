"""Server-drawn SVG charts: valid markup, escaped labels, nothing external, accessible names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from outcomes.charts import HIGHER_NOTE, LOWER_NOTE, Band, Bar, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def texts(root: ElementTree.Element) -> list[str]:
    """Every label, a wrapped one joined back into one line."""
    return [" ".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def chart(points=None, **options):
    defaults = {
        "y_min": 0,
        "y_max": 27,
        "title": "Your PHQ-9 scores over time",
        "description": "Scores out of 27, oldest first.",
        "higher_is_better": False,
    }
    return line_chart(
        points if points is not None else [("1 Mar", 18), ("1 Apr", 12), ("1 May", 9)],
        **{**defaults, **options},
    )


def test_a_line_chart_is_valid_svg_with_a_title_and_description():
    root = parse(chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Your PHQ-9 scores over time"
    assert desc is not None and desc.text == "Scores out of 27, oldest first."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_every_point_is_marked_with_its_value():
    root = parse(chart())
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert {"18", "12", "9"} <= set(texts(root))
    assert {"1 Mar", "1 Apr", "1 May"} <= set(texts(root))
    assert len(list(root.iter(f"{SVG}polyline"))) == 1


def test_a_label_with_markup_is_escaped():
    svg = chart(
        [("<script>alert(1)</script>", 3)],
        title="<script>alert('t')</script>",
        description='"quoted" & <b>bold</b>',
        bands=[Band(0, 27, "<img src=x onerror=alert(1)>")],
    )
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert('t')</script>"
    assert "<script>alert(1)</script>" in texts(root)
    assert not list(root.iter(f"{SVG}script"))


def test_a_single_point_is_drawn_without_a_line():
    root = parse(chart([("3 Jun", 7)]))
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert not list(root.iter(f"{SVG}polyline"))
    assert "7" in texts(root)


def test_no_points_still_gives_valid_svg():
    root = parse(chart([]))
    assert not list(root.iter(f"{SVG}circle"))


def test_nothing_is_loaded_from_elsewhere_and_nothing_is_styled_inline():
    svg = chart(bands=[Band(0, 4.5, "Minimal"), Band(4.5, 27, "Severe")])
    svg += bar_chart([Bar("Improved", 40)], title="t", description="d")
    assert not re.search(r"\b(href|src)=", svg)
    assert "url(" not in svg and "@import" not in svg and "@font-face" not in svg
    assert "style=" not in svg and "<style" not in svg
    assert "<script" not in svg and "javascript:" not in svg
    assert re.search(r"\son\w+=", svg) is None


def test_without_bands_the_chart_says_which_way_is_better():
    assert LOWER_NOTE in texts(parse(chart()))
    assert HIGHER_NOTE in texts(parse(chart(higher_is_better=True)))
    assert "Minimal" not in texts(parse(chart()))


def test_bands_are_shaded_and_labelled_beside_the_plot_for_staff():
    root = parse(
        chart(bands=[Band(0, 4.5, "Minimal"), Band(4.5, 19.5, "Moderately severe"), Band(19.5, 27)])
    )
    shaded = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-band"]
    assert len(shaded) == 3
    assert {"Minimal", "Moderately severe"} <= set(texts(root))
    assert LOWER_NOTE not in texts(root)
    # Long names wrap; labels sit right of the plot, so they never cover a point
    plot_right = max(float(rect.get("x")) + float(rect.get("width")) for rect in shaded)
    spans = list(root.iter(f"{SVG}tspan"))
    assert sorted(span.text for span in spans) == ["Minimal", "Moderately", "severe"]
    assert all(float(span.get("x")) > plot_right for span in spans)
    circles = [float(circle.get("cx")) for circle in root.iter(f"{SVG}circle")]
    assert max(circles) < plot_right


def test_a_band_too_narrow_for_its_name_is_shaded_without_it():
    root = parse(chart(bands=[Band(0, 1, "Hardly any room at all"), Band(1, 27, "Rest")]))
    assert "Hardly any room at all" not in " ".join(texts(root))


def test_charts_on_one_page_get_different_ids():
    first = parse(chart(title="PHQ-9"))
    second = parse(chart(title="GAD-7"))
    assert first.find(f"{SVG}title").get("id") != second.find(f"{SVG}title").get("id")
    assert parse(chart(chart_id="chart-phq9")).find(f"{SVG}title").get("id") == ("chart-phq9-title")


def test_many_points_keep_their_date_labels_apart():
    points = [(f"{day} Jan", day) for day in range(1, 21)]
    labels = [text for text in texts(parse(chart(points))) if text.endswith("Jan")]
    assert 3 <= len(labels) <= 7
    assert labels[-1] == "20 Jan"


def test_a_bar_chart_shows_withheld_figures_as_words():
    svg = bar_chart(
        [Bar("Improved", 60), Bar("No reliable change", None, text="fewer than 5")],
        title="Change",
        description="Of 10 people",
    )
    root = parse(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]
    assert len(bars) == 1
    assert {"Improved", "60%", "No reliable change", "fewer than 5"} <= set(texts(root))


def test_a_bar_chart_leaves_room_for_a_long_figure_after_the_longest_bar():
    """A bold digit at 13px is about 8 units wide: "21,857" must end inside the chart."""
    svg = bar_chart(
        [Bar("Self-referral", 21857), Bar("GP practice", 13473)],
        title="Referrals by who referred",
        description="Counts",
        maximum=21857,
        unit="",
    )
    root = parse(svg)
    width = float(root.get("viewBox").split()[2])
    figure = next(element for element in root.iter(f"{SVG}text") if element.text == "21,857")
    assert float(figure.get("x")) + 8 * len("21,857") <= width


def test_figures_are_written_with_thousands_separators_as_in_the_tables():
    svg = bar_chart(
        [Bar("Held", 1234567), Bar("Mean", 1234.5), Bar("Small", 12)],
        title="Sessions",
        description="Counts",
        maximum=1234567,
        unit="",
    )
    assert {"1,234,567", "1,234.5", "12"} <= set(texts(parse(svg)))
