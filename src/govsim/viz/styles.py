"""How the page looks: its stylesheet, and text fitted to the fonts it ships.

The page's only font is Roboto, served with Solara's assets; it has no
Chinese glyphs, and a classroom machine may have no CJK font either, so a
Chinese term would show as empty boxes.  :func:`page_text` therefore drops
Chinese from the declared titles and meanings the page shows (the English
around it says the same thing): "Welfare (低保) applications" reads
"Welfare applications".
"""

from __future__ import annotations

import re

from govsim.viz.palette import REFORMED_MARK

CJK = "\u2e80-\u2fff\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff"
"""Code points of Chinese, Japanese and Korean script and their punctuation."""

_CJK_IN_BRACKETS = re.compile(rf"\s*[(\uff08][^()\uff08\uff09]*[{CJK}][^()\uff08\uff09]*[)\uff09]")
_CJK_CHARS = re.compile(rf"[{CJK}]+")


def page_text(text: str) -> str:
    """``text`` without Chinese, Japanese or Korean script (a bracketed term goes with its brackets)."""
    text = _CJK_IN_BRACKETS.sub("", text)
    return re.sub(r"\s{2,}", " ", _CJK_CHARS.sub("", text)).strip()


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHARS.search(text))


CHARTS_HEIGHT = "calc(100vh - 88px)"
"""The main area: the window less Solara's app bar (64 px) and the 12 px its content is padded
above and below, so every chart fits without scrolling."""

PAGE_CSS = f"""
.govsim-main {{ display: grid; grid-template-columns: minmax(0, 45fr) minmax(0, 55fr); gap: 10px;
  height: {CHARTS_HEIGHT}; min-height: 640px; box-sizing: border-box; }}
.govsim-left {{ display: grid; grid-template-rows: minmax(0, 1fr) auto; gap: 6px; min-height: 0; }}
.govsim-panel {{ display: flex; flex-direction: column; min-height: 0; min-width: 0; }}
.govsim-panel .govsim-chart {{ flex: 1 1 auto; min-height: 120px; width: 100%; }}
.govsim-head {{ display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline;
  column-gap: 12px; padding: 0 4px; }}
.govsim-title {{ font-size: 16px; font-weight: bold; }}
.govsim-scale {{ font-size: 12px; white-space: nowrap; }}
.govsim-gradient {{ display: inline-block; width: 90px; height: 11px; vertical-align: middle; margin: 0 4px; }}
.govsim-foot {{ font-size: 11px; color: #555; line-height: 1.35; padding: 0 8px; }}
.govsim-runs-caption {{ font-size: 13px; color: #333; padding: 0 4px 2px 4px; }}
.govsim-lines {{ display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); grid-auto-rows: minmax(0, 1fr);
  gap: 4px 10px; flex: 1 1 auto; min-height: 0; }}
.govsim-line-title {{ font-size: 13px; font-weight: bold; line-height: 1.2; padding: 0 2px; }}
.govsim-legend {{ font-size: 11px; line-height: 1.3; color: #333; padding: 0 2px; }}
.govsim-key {{ white-space: nowrap; margin-right: 8px; }}
.govsim-swatch {{ display: inline-block; width: 16px; height: 0; border-top: 3px solid; vertical-align: middle;
  margin-right: 3px; }}
.govsim-swatch--reference {{ border-top-style: dotted; }}
.govsim-numbers {{ overflow: auto; }}
.govsim-inside {{ font-size: 11.5px; line-height: 1.3; color: #222; padding: 0 4px 4px 4px; margin-bottom: 4px;
  border-bottom: 1px solid #ddd; }}
.govsim-inside-head {{ display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline;
  column-gap: 10px; }}
.govsim-inside-row {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.45fr) minmax(0, 1.15fr);
  gap: 2px 14px; padding-top: 2px; }}
.govsim-inside--compare .govsim-inside-row {{ grid-template-columns: 14px minmax(0, 1fr) minmax(0, 1.45fr)
  minmax(0, 1.15fr); }}
.govsim-inside-run {{ font-weight: bold; font-size: 13px; }}
.govsim-cell-title {{ font-weight: bold; font-size: 12px; }}
.govsim-inside--compare .govsim-inside-row + .govsim-inside-row .govsim-cell-title {{ display: none; }}
.govsim-track {{ position: relative; height: 22px; border-bottom: 1px solid #888; margin: 2px 5px 0 5px; }}
.govsim-dot {{ position: absolute; width: 7px; height: 7px; margin-left: -3.5px; border-radius: 50%;
  border: 1px solid #333; box-sizing: border-box; opacity: 0.85; }}
.govsim-track-axis {{ display: flex; justify-content: space-between; font-size: 10px; color: #666;
  margin: 0 2px; }}
.govsim-agenda {{ display: flex; height: 14px; border: 1px solid #888; margin: 3px 0 1px 0; }}
.govsim-agenda-part {{ display: block; height: 100%; }}
.govsim-box {{ display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: middle;
  border: 1px solid #555; box-sizing: border-box; }}
.govsim-box--round {{ border-radius: 50%; }}
.govsim-muted {{ color: #666; }}
.govsim-guide-text {{ font-size: 15px; line-height: 1.5; }}
.govsim-guide-text h1 {{ font-size: 24px; margin: 4px 0 12px 0; }}
.govsim-guide-text h2 {{ font-size: 20px; margin: 20px 0 8px 0; }}
.govsim-guide-text h3 {{ font-size: 17px; margin: 14px 0 6px 0; }}
.govsim-guide-text p, .govsim-guide-text ul, .govsim-guide-text ol {{ margin-bottom: 8px; }}
.govsim-guide-text pre {{ background: #f4f4f4; padding: 6px 10px; border-radius: 4px; overflow-x: auto; }}
.govsim-guide-text code {{ background: #f4f4f4; padding: 0 3px; border-radius: 3px; font-size: 14px; }}
.govsim-guide-text blockquote {{ border-left: 4px solid #ccc; padding-left: 10px; color: #444; }}
.govsim-view-switch {{ display: flex; justify-content: center; }}
.govsim-view {{ margin: 0 0 8px 0; }}
.govsim-city {{ display: grid; grid-template-columns: minmax(0, 57fr) minmax(0, 43fr); gap: 14px;
  height: {CHARTS_HEIGHT}; min-height: 640px; box-sizing: border-box; }}
.govsim-city-map {{ flex: 1 1 auto; min-height: 240px; width: 100%; display: block; }}
.govsim-district rect {{ fill: #f4f4f4; stroke: #333; stroke-width: 0.8; }}
.govsim-district text {{ font-size: 5.2px; font-weight: bold; fill: #222; font-family: Roboto, sans-serif; }}
.govsim-cell {{ cursor: pointer; outline: none; }}
.govsim-cell rect {{ stroke: #fff; stroke-width: 0.5; }}
.govsim-cell:hover rect, .govsim-cell:focus rect {{ stroke: #000; stroke-width: 1.4; }}
.govsim-map-scale {{ display: inline-flex; flex-wrap: wrap; align-items: center; column-gap: 10px; font-size: 12px; }}
.govsim-map-scale-bar {{ display: inline-flex; flex-direction: column; }}
.govsim-gradient--map {{ width: 140px; margin: 0; }}
.govsim-map-ticks {{ display: flex; justify-content: space-between; width: 140px; font-size: 10px; color: #444;
  font-variant-numeric: tabular-nums; }}
.govsim-box--reformed {{ background: {REFORMED_MARK}; border-color: #222; }}
.govsim-timeline {{ font-size: 12px; padding: 2px 4px 0 4px; }}
.govsim-timeline-track {{ position: relative; height: 18px; background: #eee; border: 1px solid #999;
  margin: 16px 10px 4px 10px; }}
.govsim-timeline-done {{ position: absolute; left: 0; top: 0; bottom: 0; background: #9ecae1; }}
.govsim-tick {{ position: absolute; top: 0; bottom: 0; border-left: 1px solid #777; font-size: 10px; color: #444; }}
.govsim-tick::before {{ content: attr(data-year); position: absolute; top: -14px; left: -12px; }}
.govsim-wave-mark {{ position: absolute; top: 50%; width: 16px; height: 16px; margin: -8px 0 0 -8px;
  border-radius: 50%; border: 2px solid #08519c; background: #fff; color: #08519c; box-sizing: border-box;
  font-size: 10px; line-height: 12px; text-align: center; font-weight: bold; }}
.govsim-wave-mark--done {{ background: #08519c; color: #fff; }}
.govsim-reformed-bar {{ height: 7px; background: #eee; border: 1px solid #bbb; margin: 2px 10px 4px 10px; }}
.govsim-reformed-fill {{ height: 100%; background: #08519c; }}
.govsim-waves {{ font-size: 11.5px; line-height: 1.45; color: #444; }}
.govsim-wave--done {{ color: #08519c; }}
.govsim-wave-number {{ display: inline-block; width: 14px; height: 14px; margin-right: 5px; border-radius: 50%;
  border: 1.5px solid #08519c; box-sizing: border-box; text-align: center; font-size: 9px; line-height: 11px;
  font-weight: bold; color: #08519c; background: #fff; }}
.govsim-wave--done .govsim-wave-number {{ background: #08519c; color: #fff; }}
.govsim-city-numbers .govsim-now {{ font-size: 12.5px; }}
.govsim-focus .v-card__title {{ font-size: 18px; }}
.govsim-now {{ border-collapse: collapse; font-size: 13px; margin: 0 auto; }}
.govsim-now caption {{ font-weight: bold; font-size: 14px; padding: 2px; caption-side: top; }}
.govsim-runs {{ font-weight: normal; font-size: 12px; }}
.govsim-now th, .govsim-now td {{ padding: 1px 8px; border-bottom: 1px solid #ddd; line-height: 1.35; }}
.govsim-now td {{ text-align: right; font-variant-numeric: tabular-nums; }}
.govsim-now tbody th {{ text-align: left; font-weight: normal; cursor: help; }}
.govsim-unit {{ color: #666; font-size: 11px; }}
.govsim-control {{ margin: 2px 0 6px 0; }}
.govsim-control .govsim-control-head {{ display: flex; justify-content: space-between; font-size: 14px; }}
.govsim-value {{ font-weight: bold; font-variant-numeric: tabular-nums; }}
.govsim-section {{ display: block; font-weight: bold; font-size: 14px; margin: 12px 0 2px 0; color: #333; }}
.govsim-note {{ display: block; font-size: 12px; color: #555; line-height: 1.3; margin-bottom: 4px; }}
.govsim-left-out {{ color: #8a4b00; }}
"""
