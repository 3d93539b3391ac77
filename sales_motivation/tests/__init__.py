from . import test_registrar
