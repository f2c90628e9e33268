"""The site's media files: photos checked, resized and stripped of their metadata.

``images`` reads the originals editors put in ``content/media/`` and makes the
files the site publishes; ``pictures`` writes the HTML that shows them. Neither
knows about the site engine: the build passes files in and copies files out.
"""
