"""Generated product images: a tile in the category's colour with the product's initials."""

import colorsys
import io
import textwrap
import zlib
from functools import cache

from PIL import Image, ImageDraw, ImageFont

SIZE = 400
INK = (255, 255, 255)


def category_colour(category_name):
    """A muted colour derived from the category's name, shared by all its products."""
    hue = (zlib.crc32(category_name.encode()) % 360) / 360
    red, green, blue = colorsys.hls_to_rgb(hue, 0.45, 0.45)
    return round(red * 255), round(green * 255), round(blue * 255)


@cache
def _font(size):
    return ImageFont.load_default(size=size)


def initials(title):
    """The first letters of the first and last words, e.g. "EM" for "Enamel Camping Mug"."""
    words = [word for word in title.split() if word[0].isalpha()]
    first_and_last = words[:1] + words[1:][-1:]
    return "".join(word[0].upper() for word in first_and_last)


def product_image_png(title, category_name):
    """PNG bytes, identical for the same title and category."""
    image = Image.new("RGB", (SIZE, SIZE), category_colour(category_name))
    draw = ImageDraw.Draw(image)
    draw.text((SIZE / 2, SIZE * 0.42), initials(title), font=_font(150), fill=INK, anchor="mm")
    caption = "\n".join(textwrap.wrap(title, width=24)[:2])
    draw.multiline_text(
        (SIZE / 2, SIZE * 0.82), caption, font=_font(26), fill=INK, anchor="mm", align="center"
    )
    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()
