"""What the demo gift shop sells: its categories and the words its products are named from."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Department:
    """A top-level category."""

    name: str
    description: str


@dataclass(frozen=True)
class Shelf:
    """A leaf category; its products are named "<style> <item>", e.g. "Enamel Camping Mug"."""

    department: str
    name: str
    sku_prefix: str
    description: str
    price_range: tuple[int, int]
    styles: tuple[str, ...]
    items: tuple[str, ...]
    details: tuple[str, ...]

    @property
    def breadcrumbs(self):
        return f"{self.department} > {self.name}"


DEPARTMENTS = (
    Department(
        "Home & Kitchen",
        "Everyday things for the kitchen table and the sofa, chosen to be used rather than "
        "kept for best.",
    ),
    Department(
        "Fashion",
        "Easy clothes and accessories in natural fibres, made to be worn for years.",
    ),
    Department(
        "Garden",
        "Planters, tools and bird care for gardens, balconies and window sills of every size.",
    ),
    Department(
        "Toys & Games",
        "Puzzles, games and soft toys for rainy afternoons and long family evenings.",
    ),
    Department(
        "Stationery",
        "Notebooks, cards and pens for lists, letters and everything in between.",
    ),
)

SHELVES = (
    Shelf(
        department="Home & Kitchen",
        name="Mugs",
        sku_prefix="MUG",
        description="Mugs and cups for the first tea of the day and the last coffee of the night.",
        price_range=(8, 24),
        styles=(
            "Enamel",
            "Speckled",
            "Hand-glazed",
            "Striped",
            "Botanical",
            "Bone China",
            "Retro",
            "Two-tone",
        ),
        items=("Camping Mug", "Latte Mug", "Espresso Cup", "Travel Mug", "Tankard", "Tea Cup"),
        details=(
            "Holds a generous 350 ml.",
            "Dishwasher and microwave safe.",
            "The handle is wide enough for two fingers and a cold morning.",
            "Each piece is glazed by hand, so no two are quite the same.",
            "Stacks neatly in a crowded cupboard.",
        ),
    ),
    Shelf(
        department="Home & Kitchen",
        name="Tea towels",
        sku_prefix="TEA",
        description="Hard-working cotton and linen tea towels with prints worth hanging on the "
        "oven door.",
        price_range=(6, 15),
        styles=(
            "Linen",
            "Waffle",
            "Printed",
            "Gingham",
            "Herringbone",
            "Seaside",
            "Allotment",
            "Lemon",
        ),
        items=("Tea Towel", "Tea Towel Set", "Hand Towel", "Oven Glove", "Apron", "Pot Holder"),
        details=(
            "Woven from thick, absorbent cotton that softens with every wash.",
            "Machine washable at 40 degrees.",
            "Printed in England with water-based inks.",
            "A hanging loop keeps it close to the sink.",
            "Generously sized at 50 x 70 cm.",
        ),
    ),
    Shelf(
        department="Home & Kitchen",
        name="Candles",
        sku_prefix="CAN",
        description="Soy wax candles and holders that make a long evening feel shorter.",
        price_range=(10, 34),
        styles=(
            "Fig Leaf",
            "Sea Salt",
            "Cedarwood",
            "Orange Blossom",
            "Wild Mint",
            "Smoky Amber",
            "Rhubarb",
            "Lavender",
        ),
        items=(
            "Scented Candle",
            "Travel Tin Candle",
            "Pillar Candle",
            "Candle Duo",
            "Reed Diffuser",
            "Tealight Set",
        ),
        details=(
            "Poured by hand from natural soy wax with a cotton wick.",
            "Burns cleanly for around 40 hours.",
            "The glass makes a fine tumbler once the candle is finished.",
            "Scented with essential oils, never with paraffin.",
            "Trim the wick before each use for an even burn.",
        ),
    ),
    Shelf(
        department="Fashion",
        name="Women",
        sku_prefix="WOM",
        description="Relaxed shapes in organic cotton, linen and merino for every season.",
        price_range=(25, 89),
        styles=(
            "Organic Cotton",
            "Linen",
            "Merino",
            "Breton",
            "Cord",
            "Chambray",
            "Cable Knit",
            "Brushed",
        ),
        items=(
            "Shirt Dress",
            "Cardigan",
            "Wide-leg Trousers",
            "Striped Top",
            "Jumper",
            "Smock Blouse",
        ),
        details=(
            "A relaxed fit that layers easily over a T-shirt.",
            "Made from fibres that are kind to skin and to the planet.",
            "Machine washable on a gentle cycle.",
            "Available in sizes 8 to 20.",
            "Finished with real horn buttons.",
        ),
    ),
    Shelf(
        department="Fashion",
        name="Men",
        sku_prefix="MEN",
        description="Simple, well-made clothes that look better the more they are worn.",
        price_range=(25, 95),
        styles=(
            "Oxford",
            "Flannel",
            "Lambswool",
            "Denim",
            "Moleskin",
            "Waxed Cotton",
            "Corduroy",
            "Jersey",
        ),
        items=("Shirt", "Overshirt", "Crew Neck Jumper", "Chore Jacket", "Chinos", "Polo Shirt"),
        details=(
            "Cut for an easy, comfortable fit.",
            "Garment dyed for a soft, lived-in colour.",
            "Reinforced seams for years of wear.",
            "Available in sizes S to XXL.",
            "Made in Portugal by a family-run mill.",
        ),
    ),
    Shelf(
        department="Fashion",
        name="Accessories",
        sku_prefix="ACC",
        description="Scarves, bags and hats to finish an outfit or start a conversation.",
        price_range=(12, 48),
        styles=(
            "Canvas",
            "Leather",
            "Lambswool",
            "Silk",
            "Tweed",
            "Recycled",
            "Woven",
            "Chunky Knit",
        ),
        items=("Tote Bag", "Scarf", "Beanie", "Card Holder", "Gloves", "Bucket Hat"),
        details=(
            "Sized to fit a laptop, a lunch and a library book.",
            "Edged with contrast stitching.",
            "Soft enough to wear all day.",
            "Makes a lovely gift, wrapped in tissue on request.",
            "Made in small batches in Scotland.",
        ),
    ),
    Shelf(
        department="Garden",
        name="Planters",
        sku_prefix="PLA",
        description="Pots and planters for herbs, houseplants and everything in between.",
        price_range=(9, 48),
        styles=(
            "Terracotta",
            "Zinc",
            "Glazed",
            "Concrete",
            "Rattan",
            "Fluted",
            "Galvanised",
            "Speckled",
        ),
        items=(
            "Plant Pot",
            "Window Box",
            "Hanging Planter",
            "Herb Trough",
            "Plant Stand",
            "Saucer Set",
        ),
        details=(
            "A drainage hole keeps roots healthy.",
            "Frost resistant, so it can stay outside all year.",
            "Ages to a soft patina over time.",
            "Fits a 12 cm nursery pot.",
            "Supplied with a matching saucer.",
        ),
    ),
    Shelf(
        department="Garden",
        name="Tools",
        sku_prefix="TOO",
        description="Sturdy hand tools that make light work of weeding, pruning and planting.",
        price_range=(7, 36),
        styles=(
            "Stainless",
            "Ash Handled",
            "Copper",
            "Forged",
            "Compact",
            "Heritage",
            "Soft Grip",
            "Carbon Steel",
        ),
        items=("Hand Trowel", "Hand Fork", "Secateurs", "Dibber", "Watering Can", "Kneeler"),
        details=(
            "Balanced to sit comfortably in the hand.",
            "Backed by a ten-year guarantee.",
            "Rust resistant and easy to clean.",
            "Light enough for a window box, strong enough for an allotment.",
            "Hangs on a leather loop in the shed.",
        ),
    ),
    Shelf(
        department="Garden",
        name="Bird care",
        sku_prefix="BIR",
        description="Feeders, houses and baths that bring birds back to the garden.",
        price_range=(6, 32),
        styles=(
            "Cedar",
            "Ceramic",
            "Copper Roof",
            "Woodland",
            "Hanging",
            "Window",
            "Squirrel-proof",
            "Rustic",
        ),
        items=(
            "Bird Feeder",
            "Nest Box",
            "Bird Bath",
            "Seed Feeder",
            "Suet Feeder",
            "Feeding Station",
        ),
        details=(
            "Easy to fill and simple to clean.",
            "Designed with the RSPB's advice on entrance sizes.",
            "Weatherproof and built to last for many seasons.",
            "Attracts tits, finches and robins.",
            "Supplied with a hanging chain.",
        ),
    ),
    Shelf(
        department="Toys & Games",
        name="Puzzles",
        sku_prefix="PUZ",
        description="Jigsaws and brain teasers for quiet afternoons.",
        price_range=(12, 32),
        styles=(
            "1000-piece",
            "500-piece",
            "Wooden",
            "Map",
            "Botanical",
            "Seaside",
            "Vintage Poster",
            "Family",
        ),
        items=("Jigsaw", "Puzzle", "Brain Teaser", "Puzzle Box", "Round Jigsaw", "Mini Puzzle"),
        details=(
            "Printed on thick recycled board with a linen finish.",
            "Comes with a poster of the finished picture.",
            "Every piece is a different shape.",
            "Packed in a sturdy box that is easy to store.",
            "Suitable for ages 12 and up.",
        ),
    ),
    Shelf(
        department="Toys & Games",
        name="Board games",
        sku_prefix="GAM",
        description="Games that get the whole family round the table.",
        price_range=(15, 42),
        styles=(
            "Classic",
            "Travel",
            "Deluxe",
            "Wooden",
            "Cooperative",
            "Quick-fire",
            "Strategy",
            "Party",
        ),
        items=("Chess Set", "Backgammon", "Card Game", "Dominoes", "Word Game", "Quiz Game"),
        details=(
            "For two to six players.",
            "Rules that take five minutes to learn and years to master.",
            "A game lasts about half an hour.",
            "Folds away into its own storage box.",
            "Suitable for ages 8 and up.",
        ),
    ),
    Shelf(
        department="Toys & Games",
        name="Soft toys",
        sku_prefix="SOF",
        description="Cuddly companions, safety tested and made to be loved.",
        price_range=(9, 30),
        styles=(
            "Knitted",
            "Corduroy",
            "Organic",
            "Patchwork",
            "Velvet",
            "Woodland",
            "Sleepy",
            "Little",
        ),
        items=("Bunny", "Bear", "Fox", "Hedgehog", "Owl", "Elephant"),
        details=(
            "Safe from birth and tested to European toy standards.",
            "Filled with recycled polyester.",
            "Surface washable, or a gentle cycle in a pillowcase.",
            "Stands about 25 cm tall.",
            "Embroidered eyes, so nothing can come loose.",
        ),
    ),
    Shelf(
        department="Stationery",
        name="Notebooks",
        sku_prefix="NOT",
        description="Notebooks and journals with paper that is a pleasure to write on.",
        price_range=(5, 20),
        styles=(
            "A5 Lined",
            "Dotted",
            "Pocket",
            "Cloth-bound",
            "Recycled",
            "Marbled",
            "Linen",
            "Weekly",
        ),
        items=("Notebook", "Journal", "Sketchbook", "Planner", "Notepad", "Recipe Book"),
        details=(
            "192 pages of 100 gsm paper that resists ink bleed.",
            "Lies flat when open.",
            "Has a ribbon marker and an elastic closure.",
            "Printed and bound in the UK.",
            "Paper from responsibly managed forests.",
        ),
    ),
    Shelf(
        department="Stationery",
        name="Greeting cards",
        sku_prefix="CAR",
        description="Cards for birthdays, thank-yous and the occasions in between.",
        price_range=(2, 6),
        styles=(
            "Birthday",
            "Thank You",
            "Letterpress",
            "Wildflower",
            "Congratulations",
            "New Home",
            "Foiled",
            "Seasonal",
        ),
        items=("Card", "Card Set", "Postcard Pack", "Gift Tag Set", "Notecards", "Blank Card"),
        details=(
            "Blank inside for your own message.",
            "Comes with a kraft envelope.",
            "Printed on heavyweight recycled card.",
            "Designed by independent illustrators.",
            "Plastic-free packaging.",
        ),
    ),
    Shelf(
        department="Stationery",
        name="Pens & pencils",
        sku_prefix="PEN",
        description="Pens and pencils that make even a shopping list look good.",
        price_range=(2, 18),
        styles=(
            "Brass",
            "Fineliner",
            "Graphite",
            "Colouring",
            "Refillable",
            "Bamboo",
            "Gel",
            "Fountain",
        ),
        items=("Pen", "Pencil Set", "Pen Set", "Highlighters", "Pencil Case", "Pen Refills"),
        details=(
            "Writes smoothly without smudging.",
            "Refillable, so it lasts for years.",
            "Comes in a gift box.",
            "The weight sits comfortably between the fingers.",
            "Made without plastic wherever possible.",
        ),
    ),
)
