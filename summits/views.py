"""Reader pages, previews and operational endpoints of the summits plugin."""

from django.core.paginator import Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import caching, conf, previews, rendering, seo
from .choices import AgreementStatus, ItemKind
from .filters import SummitFilter, TrackerFilter
from .models import Item, Summit
from .querysets import PAGE_RELATIONS

TRACKER_PAGE_SIZE = 50
# What a row of the tracker shows: not the summits' articles, stored parts and search text.
TRACKER_FIELDS = (
    "kind",
    "status",
    "title",
    "position",
    "summit__slug",
    "summit__language",
    "summit__title",
    "summit__start_date",
)


@require_safe
def summit_list(request):
    def render_html(params):
        filterset = SummitFilter(
            params,
            queryset=Summit.objects.published().only(
                "slug", "language", "updated_at", "version", "card_parts"
            ),
        )
        summits = filterset.qs.order_by("-start_date", "-id")
        # The page's ids first, from the index alone (summit_list_idx), however deep the page;
        # then its rows.
        paginator = Paginator(summits.values_list("pk", flat=True), conf.get("PAGE_SIZE"))
        page = paginator.get_page(params.get("page"))
        page.object_list = list(summits.filter(pk__in=list(page.object_list)))
        query = params.copy()
        query.pop("page", None)
        context = {
            "filter": filterset,
            "page": page,
            "cards": summit_cards(page.object_list),
            "querystring": query.urlencode(),
        }
        return render_to_string("summits/summit_list.html", context, request=request)

    query = caching.understood_query(request, [*SummitFilter.base_filters, "page"])
    return caching.published_set_page(request, render_html, query=query)


def summit_cards(summits):
    """The stored cards of the summits, in the reader's language; those holding none (a
    participant they name changed, or the templates did) are rendered and stored again."""
    cards = {summit.pk: rendering.stored_card(summit.card_parts) for summit in summits}
    missing = [pk for pk, card in cards.items() if card is None]
    # Whole rows: the list's rows hold only what the stored cards need.
    for summit in Summit.objects.filter(pk__in=missing).prefetch_related(
        "participants__translations", "items"
    ):
        summit.card_parts = rendering.card_parts(summit)
        store_unless_changed(summit, card_parts=summit.card_parts)
        cards[summit.pk] = rendering.stored_card(summit.card_parts)
    return [cards[summit.pk] for summit in summits]


@require_safe
def summit_detail(request, slug):
    held = caching.versions(slug)
    summit = held.summit
    if summit is None:
        raise Http404
    # Not only this summit's own changes: the page links its live translations too.
    return caching.conditional_page(
        request,
        f"{summit.pk}-{summit.family_changed_at}",
        summit.family_changed_at,
        lambda _params: render_live_summit_page(request, summit.pk),
        query=QueryDict(),  # the page takes no parameters
        language=summit.language,
    )


def render_live_summit_page(request, pk):
    summit = (
        Summit.objects.published()
        .defer("body", "body_text", "search_document", "search_vector")
        .filter(pk=pk)
        .first()
    )
    if summit is None:  # withdrawn since its version was read
        raise Http404
    parts = rendering.PageParts.from_stored(summit.page_parts)
    if parts is None:
        parts = store_page_parts(summit)
    return render_summit_page(request, summit, parts)


def store_page_parts(summit):
    """Renders the parts of a summit that holds none (a participant or topic it names changed,
    or the templates did) and stores them, unless the summit changed meanwhile."""
    prefetch_related_objects([summit], *PAGE_RELATIONS)
    parts = rendering.page_parts(summit)
    store_unless_changed(summit, page_parts=parts.stored())
    return parts


def store_unless_changed(summit, **parts):
    """Stores parts rendered for a request, unless the summit changed since it was read: then
    what changed it stored newer parts, or emptied them for the next request."""
    Summit.objects.filter(
        pk=summit.pk, version=summit.version, updated_at=summit.updated_at
    ).update(**parts)


def render_summit_page(request, summit, parts=None, *, preview=False):
    """The article page in the summit's own language; the same templates serve previews.

    `parts` are the stored parts of a live summit; a preview renders them from the summit's
    loaded relations."""
    if parts is None:
        parts = rendering.page_parts(summit)
    canonical_url = request.build_absolute_uri(summit.get_absolute_url())
    image_url = request.build_absolute_uri(summit.lead_image.url) if summit.lead_image else None
    with translation.override(summit.language):
        return render_to_string(
            rendering.PAGE_TEMPLATE,
            {
                "summit": summit,
                "parts": parts,
                "json_ld": seo.with_addresses(parts.json_ld, canonical_url, image_url),
                "translations": summit_translations(summit),
                "canonical_url": canonical_url,
                "preview": preview,
            },
            request=request,
        )


def summit_translations(summit):
    return list(
        summit.translation_family()
        .published()
        .exclude(pk=summit.pk)
        .only("slug", "language", "title")
        .order_by("language")
    )


@never_cache
def summit_preview(request, slug):
    # Anyone but an editor gets a plain 404: a draft's existence is not to be revealed.
    if not request.user.has_perm("summits.view_summit"):
        raise Http404
    summit = get_object_or_404(Summit.objects.editions(), slug=slug)
    return preview_response(request, summit)


@never_cache
def signed_preview(request, token):
    """A preview an editor hands to an outside reviewer: a signed link that expires."""
    pk = previews.summit_pk(token)
    if pk is None:
        raise Http404
    summit = get_object_or_404(Summit.objects.editions(), pk=pk)
    return preview_response(request, summit)


def preview_response(request, summit):
    """The summit as it will read once its changes are live: its working draft, if any."""
    summit = Summit.objects.with_page_data().filter(
        draft_of=summit
    ).first() or Summit.objects.with_page_data().get(pk=summit.pk)
    response = HttpResponse(render_summit_page(request, summit, preview=True))
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Language"] = summit.language
    return response


@require_safe
def tracker(request):
    """How the agreements of all published summits fared, by status."""
    query = caching.understood_query(request, [*TrackerFilter.base_filters, "page"])
    return caching.published_set_page(
        request, lambda params: render_tracker(request, params), query=query
    )


def render_tracker(request, params):
    filterset = TrackerFilter(
        params,
        queryset=Item.objects.filter(
            kind=ItemKind.AGREEMENT, summit__in=Summit.objects.published()
        ),
    )
    agreements = filterset.qs
    counts = dict(agreements.order_by().values_list("status").annotate(total=Count("pk")))
    by_status = [(status, counts.get(status.value, 0)) for status in AgreementStatus]
    rows = (
        agreements.select_related("summit")
        .only(*TRACKER_FIELDS)
        .prefetch_related("updates")
        .order_by("-summit__start_date", "summit_id", "position")
    )
    paginator = Paginator(rows, TRACKER_PAGE_SIZE)
    paginator.count = total = sum(counts.values())  # counted above: not counted again
    query = params.copy()
    query.pop("page", None)
    return render_to_string(
        "summits/tracker.html",
        {
            "filter": filterset,
            "by_status": by_status,
            "page": paginator.get_page(params.get("page")),
            "querystring": query.urlencode(),
            "total": total,
        },
        request=request,
    )
