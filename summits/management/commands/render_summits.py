"""Re-anchors and re-renders every summit's stored article, e.g. after an upgrade changed them."""

from django.core.management.base import BaseCommand

from summits import services
from summits.models import Summit


class Command(BaseCommand):
    help = (
        "Re-anchors every summit's items and renders its annotated article and search text "
        "again. Run it after an upgrade that changes the rendering, the passage labels or "
        "their translations; pages pick the new rendering up at once."
    )

    def handle(self, *args, **options):
        count = 0
        for summit in Summit.objects.iterator(chunk_size=200):
            # A change with nothing written: the derived fields are computed anew.
            with services.summit_change(summit):
                pass
            count += 1
        self.stdout.write(self.style.SUCCESS(f"Rendered {count} summits."))
