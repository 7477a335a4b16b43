"""The static files' storage: whitenoise's compressed, hashed copies, with each file's URL worked out once.

`{% static %}` asks the storage for a URL on every use: five on every page (the stylesheets and scripts of
base.html), about 20 µs each for the manifest lookup, the quoting and the URL join — a seventh of rendering the
page frame (docs/benchmarks.md, eighth round). The manifest is read when the process starts and does not change
while it runs (collectstatic, then a restart, as deploy/ does it), so neither does the URL of a name."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
