"""The personalisation app's models: segments and the recommendation model."""

from .recommendations import ProductRecommendations, RecommendationModel, TrendingProducts
from .segments import Segment, SegmentMembership

__all__ = [
    "ProductRecommendations",
    "RecommendationModel",
    "Segment",
    "SegmentMembership",
    "TrendingProducts",
]
