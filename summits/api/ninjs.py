"""A summit as an IPTC ninjs 2.2 news item, built from its API representation."""

from urllib.parse import urlsplit

NINJS_VERSION = "2.2"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
# The year in the tag URIs (RFC 4151) that name summits and their items for good.
TAG_DATE = "2026"


def tag_uri(request, *parts) -> str:
    host = urlsplit(request.build_absolute_uri("/")).hostname
    return f"tag:{host},{TAG_DATE}:summits/{'/'.join(str(part) for part in parts)}"


def summit_item(request, summit: dict) -> dict:
    """The ninjs item of a summit; `summit` is its representation in the JSON API."""
    item = {
        "uri": tag_uri(request, summit["id"]),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": "summit",
        "pubstatus": "usable",
        "firstcreated": summit["first_published_at"],
        "versioncreated": summit["updated_at"],
        "language": summit["language"],
        "slugline": summit["slug"],
        "altids": [
            {"role": "id", "value": str(summit["id"])},
            {"role": "slug", "value": summit["slug"]},
        ],
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": summit["title"]}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": summit["body"]}],
        "people": [
            {
                "name": participant["name"],
                "rel": "participant",
                "literal": participant["slug"],
                **(
                    {"uri": WIKIDATA_ENTITY + participant["wikidata_id"]}
                    if participant["wikidata_id"]
                    else {}
                ),
            }
            for participant in summit["participants"]
        ],
        "subjects": [
            {"name": topic["name"], "rel": "topic", "literal": topic["slug"]}
            for topic in summit["topics"]
        ],
        "renditions": [{"name": "web", "href": summit["url"], "contenttype": "text/html"}],
        "associations": [item_association(request, summit, entry) for entry in summit["items"]],
    }
    if summit["teaser"]:
        item["descriptions"] = [
            {"role": "summary", "contenttype": "text/plain", "value": summit["teaser"]}
        ]
    item["descriptions"] = item.get("descriptions", []) + [
        {"role": "correction", "contenttype": "text/plain", "value": correction["text"]}
        for correction in summit["corrections"]
    ]
    if not item["descriptions"]:
        del item["descriptions"]
    place = summit["place"]
    if place["city"]:
        item["located"] = place["city"]
        item["places"] = [
            {
                "name": ", ".join(part for part in (place["venue"], place["city"]) if part),
                "rel": "venue",
                **({"literal": place["country"]} if place["country"] else {}),
            }
        ]
    if summit["credit_line"]:
        item["by"] = summit["credit_line"]
    if summit["image"]:
        image = summit["image"]
        item["renditions"].append(
            {"name": "lead-image", "href": image["url"], "title": image["alt"] or image["caption"]}
        )
        if image["credit"]:
            item["copyrightnotice"] = image["credit"]
    return item


def item_association(request, summit: dict, entry: dict) -> dict:
    """An agreement or dispute as an associated ninjs component."""
    association = {
        "name": f"{entry['kind']}-{entry['position']}",
        "uri": tag_uri(request, summit["id"], "items", entry["id"]),
        "type": "component",
        "profile": f"summit-{entry['kind']}",
        "headlines": [{"role": "main", "contenttype": "text/plain", "value": entry["title"]}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": entry["summary"]}],
        "descriptions": [
            {"role": "status", "contenttype": "text/plain", "value": entry["status"]},
            {"role": "passage", "contenttype": "text/plain", "value": entry["anchor"]["exact"]},
        ]
        + [
            {
                "role": f"stance:{stance['participant']['slug']}",
                "contenttype": "text/plain",
                "value": stance["position"],
            }
            for stance in entry["stances"]
        ]
        + [
            {
                "role": f"update:{update['date']}",
                "contenttype": "text/html",
                "value": update["note"],
            }
            for update in entry["updates"]
        ],
    }
    if entry["topic"]:
        association["subjects"] = [
            {"name": entry["topic"]["name"], "rel": "topic", "literal": entry["topic"]["slug"]}
        ]
    return association
