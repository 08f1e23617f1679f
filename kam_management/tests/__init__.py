from . import test_access_rights, test_settings, test_translations
