"""A summit's agreements and disputes as a W3C Web Annotation collection (JSON-LD)."""

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def collection(request, summit: dict) -> dict:
    """Every item as an Annotation targeting its passage of the article, in one embedded page.

    The TextQuoteSelector (exact words with context) lets a partner anchor the highlights on
    its own copy of the article; the TextPositionSelector counts characters of the article's
    text content, as browsers and the Hypothesis client do.
    """
    collection_id = request.build_absolute_uri(request.path)
    annotations = [annotation(summit, entry) for entry in summit["items"]]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": summit["title"],
        "total": len(annotations),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": annotations,
        },
    }


def annotation(summit: dict, entry: dict) -> dict:
    anchor = entry["anchor"]
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": anchor["exact"],
            "prefix": anchor["prefix"],
            "suffix": anchor["suffix"],
        }
    ]
    if anchor["start"] is not None:
        selectors.append(
            {"type": "TextPositionSelector", "start": anchor["start"], "end": anchor["end"]}
        )
    language = summit["language"]
    return {
        "id": f"{summit['url']}#item-{entry['id']}",
        "type": "Annotation",
        "motivation": "commenting",
        "modified": summit["updated_at"],
        "body": [
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/html",
                "language": language,
                "value": entry["summary"],
            },
            {
                "type": "TextualBody",
                "purpose": "describing",
                "format": "text/plain",
                "language": language,
                "value": entry["title"],
            },
            {"type": "TextualBody", "purpose": "classifying", "value": entry["kind"]},
            {"type": "TextualBody", "purpose": "tagging", "value": entry["status"]},
        ],
        "target": {"source": summit["url"], "selector": selectors},
    }
