"""Building the recommendation model: reading events, storing builds atomically, the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from omni_plugin.core.events import ingest, new_event
from omni_plugin.core.merging import merge
from omni_plugin.core.models import Event, Merge
from omni_plugin.personalization.models import (
    ProductRecommendations,
    RecommendationModel,
    TrendingProducts,
)
from omni_plugin.personalization.recommendations import recommend
from omni_plugin.personalization.recs import build as building
from omni_plugin.personalization.recs import store
from omni_plugin.personalization.recs.build import build_and_store, build_recommendations
from omni_plugin.personalization.recs.interactions import read_interactions
from sandbox.demo.recommendations import build_recommendation_model
from tests.personalization.factories import NOW, category, customer, item, ordered, titles, viewed

ProductClass = get_model("catalogue", "ProductClass")
Status = RecommendationModel.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    mugs, coffee = category("Mugs"), category("Coffee")
    return {
        "mug": item("Enamel Mug", mugs),
        "cup": item("Tin Cup", mugs),
        "beans": item("Coffee Beans", coffee),
    }


def rows(interactions):
    return sorted(
        zip(
            interactions.users.tolist(),
            interactions.items.tolist(),
            interactions.weights.tolist(),
            interactions.times.tolist(),
            interactions.baskets.tolist(),
            interactions.places.tolist(),
            strict=True,
        )
    )


def test_reads_views_basket_additions_and_the_lines_of_web_and_store_orders(catalogue):
    mug, cup, beans = catalogue["mug"], catalogue["cup"], catalogue["beans"]
    scot = customer("GB", "Scotland")
    french = customer("FR")
    viewed(scot, mug)
    ingest({scot.pk: [new_event("basket_addition", product=cup, occurred_at=NOW)]})
    ordered(french, mug, beans, channel="store")
    ordered(scot, cup)
    Event.objects.create(profile=None, kind="product_viewed", product_id=beans.pk)  # erased

    interactions = read_interactions()

    web_order, store_order = (
        Event.objects.filter(kind="order_placed")
        .order_by("profile_id")
        .values_list("id", flat=True)
    )
    now, day_ago = NOW.timestamp(), NOW.timestamp() - 86400
    assert rows(interactions) == sorted(
        [
            (scot.pk, mug.pk, 1.0, day_ago, -1, "GB/Scotland"),
            (scot.pk, cup.pk, 3.0, now, -1, "GB/Scotland"),
            (scot.pk, cup.pk, 5.0, day_ago, web_order, "GB/Scotland"),
            (french.pk, mug.pk, 5.0, day_ago, store_order, "FR"),
            (french.pk, beans.pk, 5.0, day_ago, store_order, "FR"),
        ]
    )


def test_variants_are_read_as_their_parent(catalogue):
    shirt = create_product(
        title="Camp Shirt", structure="parent", product_class=ProductClass.objects.first()
    )
    small = create_product(parent=shirt, title="", price="20.00", num_in_stock=5)
    buyer = customer()
    ordered(buyer, small)

    assert read_interactions().items.tolist() == [shirt.pk]
    assert build_and_store().variants == {small.pk: shirt.pk}


def test_a_merged_profiles_events_count_for_the_survivor(
    catalogue, django_capture_on_commit_callbacks
):
    phone, laptop = customer(), customer()
    viewed(phone, catalogue["mug"])
    viewed(laptop, catalogue["cup"])
    with django_capture_on_commit_callbacks(execute=True):
        merge(laptop.pk, phone.pk, Merge.Reason.LOGIN)

    assert set(read_interactions().users.tolist()) == {laptop.pk}
    build_and_store()
    model = store.served_model()
    related = store.product_rows(model, [catalogue["mug"].pk])[catalogue["mug"].pk].related
    assert [pid for pid, _ in related] == [catalogue["cup"].pk]


def test_a_build_stores_every_table_and_is_served(catalogue):
    mug, cup, beans = catalogue["mug"], catalogue["cup"], catalogue["beans"]
    for _ in range(2):
        buyer = customer("GB")
        ordered(buyer, mug, beans, days_ago=10)  # before the trending week
        viewed(buyer, cup)

    build = build_and_store()

    assert build.status == Status.READY and build.finished_at >= build.started_at
    assert (build.interactions, build.customers, build.products) == (6, 2, 3)
    assert build.similarity == "ease" and build.duration >= 0
    mug_row = ProductRecommendations.objects.get(model=build, product_id=mug.pk)
    assert [pid for pid, _ in mug_row.bought_with] == [beans.pk]
    assert {pid for pid, _ in mug_row.related} == {beans.pk, cup.pk}
    assert mug_row.popularity == 1.0 and mug_row.repeat_rate == 0.0
    assert dict(
        TrendingProducts.objects.filter(model=build).values_list("scope", "product_ids")
    ) == {
        "": [cup.pk],
        "GB": [cup.pk],
    }
    assert store.served_model().id == build.pk


def test_the_similarity_is_the_settings(catalogue, settings):
    settings.OMNI_RECS_SIMILARITY = "jaccard"
    ordered(customer(), catalogue["mug"], catalogue["beans"])
    assert build_and_store().similarity == "jaccard"


def test_a_build_as_of_a_date_reads_only_what_happened_before(catalogue):
    early, late = customer("GB"), customer("GB")
    ordered(early, catalogue["mug"], catalogue["beans"], days_ago=20)
    ordered(late, catalogue["cup"], catalogue["beans"], days_ago=5)

    build = build_and_store(as_of=NOW - timedelta(days=10))

    assert (build.interactions, build.customers, build.products) == (2, 1, 2)
    assert set(
        ProductRecommendations.objects.filter(model=build).values_list("product_id", flat=True)
    ) == {catalogue["mug"].pk, catalogue["beans"].pk}
    out = StringIO()
    call_command("omni_recs_build", "--as-of", (NOW - timedelta(days=1)).isoformat(), stdout=out)
    assert "4 interactions" in out.getvalue()


def test_a_build_without_any_data_is_an_empty_ready_model(catalogue):
    build = build_and_store()

    assert build.status == Status.READY
    assert (build.interactions, build.products) == (0, 0)
    assert store.served_model().id == build.pk
    assert recommend("trending") == []


def test_a_new_build_replaces_the_served_one_and_keeps_only_the_one_before(
    catalogue, django_capture_on_commit_callbacks
):
    ordered(customer(), catalogue["mug"], catalogue["beans"])
    with django_capture_on_commit_callbacks(execute=True):
        first = build_and_store()
    assert store.served_model().id == first.pk

    with django_capture_on_commit_callbacks(execute=True):
        second = build_and_store()
    assert store.served_model().id == second.pk
    with django_capture_on_commit_callbacks(execute=True):
        third = build_and_store()

    assert store.served_model().id == third.pk
    assert set(RecommendationModel.objects.values_list("pk", flat=True)) == {second.pk, third.pk}
    assert not ProductRecommendations.objects.filter(model=first).exists()


def test_readers_see_the_old_model_until_the_new_one_is_complete(
    catalogue, monkeypatch, django_capture_on_commit_callbacks
):
    mug, cup, beans = catalogue["mug"], catalogue["cup"], catalogue["beans"]
    ordered(customer(), mug, beans)
    old = build_and_store()
    for _ in range(2):
        ordered(customer(), mug, cup)
    seen = []
    write_rows = building._write_rows

    def write_rows_and_read(build, item_model, progress):
        write_rows(build, item_model, progress)
        store.forget_model()  # even a reader that never cached the model
        seen.append((store.served_model().id, titles(recommend("bought_together", product=mug))))

    monkeypatch.setattr(building, "_write_rows", write_rows_and_read)
    with django_capture_on_commit_callbacks(execute=True):
        new = build_and_store()

    assert seen == [(old.pk, ["Coffee Beans"])]
    assert store.served_model().id == new.pk
    assert titles(recommend("bought_together", product=mug)) == ["Tin Cup", "Coffee Beans"]


def test_a_failed_build_leaves_the_served_model_alone(catalogue, monkeypatch):
    ordered(customer(), catalogue["mug"], catalogue["beans"])
    served = build_and_store()

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(TrendingProducts.objects, "bulk_create", broken)  # after the rows
    with pytest.raises(MemoryError):
        build_and_store()
    monkeypatch.undo()
    monkeypatch.setattr(building, "build_model", broken)
    with pytest.raises(MemoryError):
        build_and_store()

    failed = RecommendationModel.objects.filter(status=Status.FAILED)
    assert failed.count() == 2
    assert {build.error for build in failed} == {"MemoryError: out of memory"}
    assert not ProductRecommendations.objects.filter(model__in=failed).exists()
    store.forget_model()
    assert store.served_model().id == served.pk
    assert titles(recommend("bought_together", product=catalogue["mug"])) == ["Coffee Beans"]


def test_the_task_builds_the_model(catalogue):
    ordered(customer(), catalogue["mug"], catalogue["beans"])

    result = build_recommendations.enqueue()

    build = RecommendationModel.objects.get(status=Status.READY)
    assert result.return_value == {"model": build.pk, "products": 2, "interactions": 2}


def test_the_command_builds_with_a_progress_bar(catalogue):
    ordered(customer(), catalogue["mug"], catalogue["beans"])
    out, err = StringIO(), StringIO()

    call_command("omni_recs_build", stdout=out, stderr=err)

    build = RecommendationModel.objects.get(status=Status.READY)
    assert f"Recommendation model #{build.pk} is ready: 2 products, 1 customers" in out.getvalue()
    progress = err.getvalue()
    assert "related products: 100%" in progress
    assert "bought together: 100%" in progress
    assert "storing: 100%" in progress


def test_the_command_is_quiet_at_verbosity_zero(catalogue):
    ordered(customer(), catalogue["mug"], catalogue["beans"])
    err = StringIO()

    call_command("omni_recs_build", verbosity=0, stdout=StringIO(), stderr=err)

    assert err.getvalue() == ""


def test_the_command_can_hand_the_build_to_the_task_backend(catalogue):
    out = StringIO()

    call_command("omni_recs_build", "--enqueue", stdout=out)

    assert "enqueued as task" in out.getvalue()
    assert RecommendationModel.objects.filter(status=Status.READY).count() == 1


def test_the_demo_step_builds_once_and_again_only_after_new_events(catalogue):
    ordered(customer(), catalogue["mug"], catalogue["beans"], days_ago=3)

    assert build_recommendation_model() == "created a recommendation model of 2 products"
    assert build_recommendation_model() == "already present (a recommendation model of 2 products)"
    ingest({customer().pk: [new_event("product_viewed", product=catalogue["cup"])]})
    assert build_recommendation_model() == "created a recommendation model of 3 products"
