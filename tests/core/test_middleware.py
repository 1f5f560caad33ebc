import pytest

pytestmark = pytest.mark.django_db


def test_a_page_request_is_tracked(client):
    response = client.get("/")
    assert response.wsgi_request.omni.tracked is True


@pytest.mark.parametrize("path", ["/static/oscar/css/styles.css", "/media/x.png", "/favicon.ico"])
def test_files_are_not_tracked(client, path):
    response = client.get(path)
    assert response.wsgi_request.omni.tracked is False


@pytest.mark.parametrize("path", ["/cms/", "/cms/login/", "/shop/dashboard/", "/django-admin/"])
def test_staff_in_the_admin_sites_are_not_tracked(client, path):
    response = client.get(path)
    assert response.wsgi_request.omni.tracked is False
    assert "omni_vid" not in response.cookies


def test_untracked_paths_are_configurable(client, settings):
    settings.OMNI_UNTRACKED_PATHS = ["/shop/basket/"]
    assert client.get("/shop/basket/").wsgi_request.omni.tracked is False
    assert client.get("/favicon.ico").wsgi_request.omni.tracked is True


def test_disabled_plugin_leaves_requests_alone(client, settings):
    settings.OMNI_ENABLED = False
    response = client.get("/")
    assert not hasattr(response.wsgi_request, "omni")
