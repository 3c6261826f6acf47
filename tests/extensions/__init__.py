"""Small extra detectors and readers that the extension-point tests register."""
