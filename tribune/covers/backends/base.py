"""The interface of a cover generator (STYLE.md rule 5).

`TRIBUNE_COVER_BACKEND` names the class; the Pillow generator is the default. Another
backend (a text-to-image model service, say) receives the same spec and returns the art as
a Pillow image; renditions, file names and storage stay the same whoever draws.
"""

from dataclasses import dataclass, field
from typing import Protocol

from PIL import Image

from tribune.covers.palettes import Palette, Style

ART_WIDTH = 1200
ART_HEIGHT = 630


@dataclass(frozen=True)
class CoverSpec:
    """Everything a generator may use. `identity` is the article's UUID, never its pk."""

    identity: str
    seed: int
    style: Style
    palette: Palette
    topics: tuple[str, ...] = ()
    # For generators that take a prompt; the art itself must never show the headline.
    title: str = ""
    summary: str = ""
    size: tuple[int, int] = field(default=(ART_WIDTH, ART_HEIGHT))

    @property
    def seed_text(self) -> str:
        return f"{self.identity}:{self.seed}"


class CoverBackend(Protocol):
    # Part of the fingerprint of a rendered cover: bump it when the drawing changes, so
    # that the render task draws existing covers again.
    version: str

    def draw(self, spec: CoverSpec) -> Image.Image:
        """Return the art as an RGB image of `spec.size`: the same spec, the same pixels.

        No text and no human figures: the art illustrates, it does not depict.
        """
        ...
