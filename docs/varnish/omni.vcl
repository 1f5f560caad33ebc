vcl 4.1;
#
# Varnish 7 in front of an Oscar Omni shop.
#
# - Pages are cached only when the shop marks them public (Cache-Control: public or
#   s-maxage) and sets no cookie; visitors with a session or a basket always reach the shop.
# - Banner fragments (/omni/banners/fragment/...) are cached once per variant key, the
#   signed cookie omni_vk, for as long as their Surrogate-Control says; pages whose
#   Surrogate-Control announces ESI/1.0 have their <esi:include> tags filled from them.
# - Publishing a banner sends "BAN /" with an Omni-Ban-Tag header from the shop
#   (OMNI_EDGE_PURGE_URLS): every object whose Surrogate-Key holds that tag goes.
# - Every response says X-Cache: HIT, MISS or PASS.
#
# Adapt the backend below (and the purgers ACL, if the shop runs on another host) to your
# set-up. The edge tests copy this file with the port of the shop they start written into
# the backend's .port line, so keep that line's "port = ..." form.

import std;

backend shop {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may send BAN and PURGE: the shop's own servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    unset req.http.X-Omni-Pass;
    if (req.method == "BAN" || req.method == "PURGE") {
        call omni_invalidate;
    }
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }

    # X-Omni-Cookie carries the visitor's cookies to the backend fetch of a page that is
    # looked up without them; it is never believed from a client. An ESI subrequest starts
    # from its parent's request as the client sent it (Varnish copies req.http0, not the
    # headers vcl_recv changed), so it sees the visitor's Cookie and omni_vk again here.
    unset req.http.X-Omni-Cookie;
    if (req.http.Cookie) {
        set req.http.X-Omni-Cookie = req.http.Cookie;
    }

    if (req.url ~ "^/omni/banners/fragment/") {
        call omni_fragment_recv;
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Django's session cookie and Oscar's basket cookie make a request personal (rename them
    # here if the shop sets SESSION_COOKIE_NAME or OSCAR_BASKET_COOKIE_OPEN).
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|oscar_open_basket)=") {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub omni_invalidate {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    # PURGE drops a URL in every variant; BAN drops everything tagged with Omni-Ban-Tag.
    if (req.method == "PURGE") {
        set req.http.X-Omni-Ban = "obj.http.X-Omni-Url == " + req.url;
    } elsif (req.http.Omni-Ban-Tag ~ "^[A-Za-z0-9_.:-]+$") {
        set req.http.X-Omni-Ban = "obj.http.Surrogate-Key ~ (^|\s)" +
            regsuball(req.http.Omni-Ban-Tag, "\.", "[.]") + "(\s|$)";
    } else {
        return (synth(400, "Omni-Ban-Tag must hold one tag of letters, digits and _ . : -"));
    }
    if (std.ban(req.http.X-Omni-Ban)) {
        return (synth(200, "Banned"));
    }
    return (synth(400, std.ban_error()));
}

# A fragment is the same for everyone with the same variant key: it is looked up, and
# fetched, with no other cookie.
sub omni_fragment_recv {
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;)\s*omni_vk=") {
        set req.http.Cookie = "omni_vk=" +
            regsub(req.http.Cookie, "^(.*;)?\s*omni_vk=([^;]*).*$", "\2");
    } else {
        unset req.http.Cookie;
    }
    return (hash);
}

sub vcl_hash {
    if (req.url ~ "^/omni/banners/fragment/") {
        hash_data(req.http.Cookie);
    }
}

sub vcl_pass {
    set req.http.X-Omni-Pass = "1";
}

sub vcl_backend_fetch {
    # A page looked up without cookies is fetched with them, for the shop to know its
    # visitor; whatever it answers with a cookie, or not public, is not shared.
    if (bereq.url !~ "^/omni/banners/fragment/" && bereq.http.X-Omni-Cookie) {
        set bereq.http.Cookie = bereq.http.X-Omni-Cookie;
    }
    unset bereq.http.X-Omni-Cookie;
    unset bereq.http.X-Omni-Pass;
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Control ~ "ESI/1\.0") {
        set beresp.do_esi = true;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    set beresp.http.X-Omni-Url = bereq.url;

    if (beresp.http.Surrogate-Control ~ "(^|[,\s])max-age=\d+") {
        set beresp.ttl = std.duration(
            regsub(beresp.http.Surrogate-Control, "^(.*[,\s])?max-age=(\d+).*$", "\2s"), 0s);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Surrogate-Control ~ "(?i)no-store"
        || beresp.ttl <= 0s
        || (bereq.url !~ "^/omni/banners/fragment/"
            && beresp.http.Cache-Control !~ "(?i)(public|s-maxage)")) {
        # Hit-for-miss: the next requests in the coming two minutes go to the shop
        # without waiting for each other, and a later public answer is cached again.
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
    }
    call omni_vary_without_cookie;
    return (deliver);
}

# Objects are looked up without the visitor's cookies but fetched with them: a Vary on
# Cookie would make every stored object match only its first visitor. The cookies that
# matter are in the hash already (omni_vk) or make the request pass (sessions, baskets), so
# the object varies on the rest, and clients still get the shop's own Vary.
sub omni_vary_without_cookie {
    if (beresp.http.Vary ~ "(?i)(^|,)\s*cookie\s*(,|$)") {
        set beresp.http.X-Omni-Vary = beresp.http.Vary;
        set beresp.http.Vary = regsub(
            regsuball(beresp.http.Vary, "(?i)(^|,)\s*cookie\s*(?=,|$)", ""), "^\s*,\s*", "");
        if (beresp.http.Vary !~ "\S") {
            unset beresp.http.Vary;
        }
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } elsif (req.http.X-Omni-Pass) {
        set resp.http.X-Cache = "PASS";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.Surrogate-Control;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Omni-Url;
    if (resp.http.X-Omni-Vary) {
        set resp.http.Vary = resp.http.X-Omni-Vary;
        unset resp.http.X-Omni-Vary;
    }
}
