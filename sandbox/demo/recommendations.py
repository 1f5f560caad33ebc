"""The demo's recommendation model, built from the demo orders."""

from omni_plugin.core.models import Event
from omni_plugin.personalization.models import RecommendationModel
from omni_plugin.personalization.recs.build import build_and_store

from .summary import summarise


def build_recommendation_model():
    served = RecommendationModel.objects.filter(status=RecommendationModel.Status.READY).first()
    newest_event = Event.objects.values_list("occurred_at", flat=True).first()
    if served is not None and (newest_event is None or newest_event <= served.started_at):
        return summarise([], existing=f"a recommendation model of {served.products} products")
    build = build_and_store()
    return summarise([f"a recommendation model of {build.products} products"], existing="")
