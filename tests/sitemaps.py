"""Reading the sitemap as a crawler does: the index, then each of its pages."""

import xml.etree.ElementTree as ET

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_pages(client) -> list[str]:
    """The addresses of the pages the index /sitemap.xml lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    return [element.text for element in index.findall("sm:sitemap/sm:loc", NS)]


def sitemap_entries(client) -> list[dict]:
    """Every <url> of every page of the index: {"loc": ..., "lastmod": ...}."""
    entries = []
    for page in sitemap_pages(client):
        response = client.get(page)
        assert response.status_code == 200, page
        for url in ET.fromstring(response.content).findall("sm:url", NS):
            entries.append(
                {child.tag.split("}")[1]: child.text for child in url if child.text is not None}
            )
    return entries
