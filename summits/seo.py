"""Structured data for search engines and sharing: schema.org NewsArticle about an Event."""

from . import conf


def news_article(summit):
    """The article's structured data, without its addresses (with_addresses() adds them):
    what depends only on the summit's content, rendered on save with the page's other parts."""
    place = {"@type": "Place", "name": summit.venue or summit.city}
    address = {
        key: value
        for key, value in (
            ("addressLocality", summit.city),
            ("addressCountry", summit.country.code),
        )
        if value
    }
    if address:
        place["address"] = {"@type": "PostalAddress", **address}
    event = {
        "@type": "Event",
        "name": summit.title,
        "startDate": summit.start_date.isoformat(),
        "endDate": (summit.end_date or summit.start_date).isoformat(),
        "location": place,
        "performer": [
            {"@type": "Person", "name": participant.name}
            for participant in summit.participants.all()
        ],
    }
    publisher = {"@type": "Organization", "name": conf.get("PUBLISHER_NAME")}
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": summit.title,
        "description": summit.teaser,
        "inLanguage": summit.language,
        "datePublished": (summit.first_published_at or summit.publish_at).isoformat()
        if (summit.first_published_at or summit.publish_at)
        else None,
        "dateModified": summit.updated_at.isoformat(),
        "author": publisher,
        "publisher": publisher,
        "about": event,
    }
    if summit.credit_line:
        article["creditText"] = summit.credit_line
    return {key: value for key, value in article.items() if value is not None}


def with_addresses(article, canonical_url, image_url=None):
    """The structured data with the page's absolute addresses, which depend on the request."""
    addressed = {**article, "mainEntityOfPage": canonical_url, "url": canonical_url}
    if image_url:
        addressed["image"] = [image_url]
    return addressed
