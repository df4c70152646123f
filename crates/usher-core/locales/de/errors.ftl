# Fehler nach ihrem festen Code. `$detail` ist der englische Satz des Fehlers mit den
# Einzelheiten (ein Pfad, die Worte des Servers).
error-DATA_DIR = Der Datenordner ist nicht nutzbar ({ $detail })
error-CORRUPT_CACHE = Die lokale Datenbank ist beschädigt; nichts wurde verändert ({ $detail })
error-CACHE_LOCKED = Die Gästeliste ist gesperrt: Schlüsselbund entsperren und Usher neu starten. Kein Scan geht verloren ({ $detail })
error-READ_ONLY = Die lokale Datenbank ist schreibgeschützt ({ $detail })
error-NOT_SET_UP = Dieses Gerät ist nicht eingerichtet: zuerst `usher setup --api … --tenant … --event …` ausführen
error-EVENT_NOT_CACHED = Für diese Veranstaltung ist keine Gästeliste da ({ $detail })
error-INVALID_CONFIG = Ungültige Einstellung: { $detail }
error-IMPORT_REFUSED = Import abgelehnt, die Gästeliste ist unverändert ({ $detail })
error-REFUSED = Abgelehnt: { $detail }
error-WRONG_PIN = Falsche PIN: noch { $left } Versuche, dann ist die Einrichtung eine Minute gesperrt
error-PIN_LOCKED_OUT = Die Einrichtung ist nach fünf falschen PINs gesperrt: in { $seconds } s erneut versuchen
error-SETUP_LOCKED = Die Einrichtung ist gesperrt: zuerst die Tür-PIN eingeben
error-DATABASE = Die lokale Datenbank hat einen Fehler gemeldet ({ $detail })
error-IO = Datei- oder Systemfehler ({ $detail })
error-OFFLINE = Session Services antwortet nicht ({ $detail })
error-BAD_ANSWER = Session Services hat etwas Unlesbares geschickt ({ $detail })
error-BUSY = Session Services ist beschäftigt ({ $detail })
error-AUTH = Das Token wurde nicht angenommen ({ $detail })
error-CONFLICT = Konflikt mit dem Server ({ $detail })
error-REJECTED = Vom Server abgelehnt ({ $detail })
error-TOKEN = Das Token ist nicht lesbar oder nicht speicherbar ({ $detail })
error-NOT_OPEN = Die Tür ist nicht offen: zuerst einrichten oder die Demo starten
error-NOTHING_TO_UNDO = Auf diesem Gerät gibt es keinen Check-in zum Zurücknehmen
error-NOT_DEMO = Das kann nur die Demo
error-INTERNAL = Interner Fehler ({ $detail })
error-CALIBRATION_MISMATCH = Der Scanner wurde nicht angelernt ({ $detail })
