# Fehler, wie Fenster und Kommandozeile sie zeigen. `error-CODE` ist der Satz eines Fehlers
# nach seinem festen Code; die übrigen Meldungen sind die Einzelheiten, die ein Fehler nennt
# (`$detail`). Was von anderen kommt (Betriebssystem, SQLite, ein Parser, Session Services),
# steht so da, wie es gesagt wurde.
error-DATA_DIR = Der Datenordner { $path } ist nicht nutzbar: { $os }
error-CORRUPT_CACHE = Die lokale Datenbank { $path } ist beschädigt oder keine Usher-Datenbank ({ $detail }). Nichts wurde verändert; die Datei beiseitelegen und `usher import` oder `usher sync` ausführen, um den Cache neu aufzubauen
error-CACHE_LOCKED = Die Gästeliste ist gesperrt: { $detail }. Ihr Schlüssel liegt im Schlüsselbund dieses Computers: den Schlüsselbund entsperren (an der Desktop-Sitzung als der Benutzer anmelden, der diese Tür eingerichtet hat) und Usher neu starten. Nichts wurde verändert, kein Scan geht verloren
error-READ_ONLY = Die lokale Datenbank ist schreibgeschützt oder ihr Ordner nicht beschreibbar ({ $detail })
error-NOT_SET_UP = Dieses Gerät ist nicht eingerichtet: zuerst `usher setup --api … --tenant … --event …` ausführen
error-EVENT_NOT_CACHED = Der Cache hat keine Daten für die Veranstaltung { $event }: zuerst `usher import DATEI` (oder `usher sync`) ausführen
error-INVALID_CONFIG = { $detail }
error-IMPORT_REFUSED = Import abgelehnt, der Cache ist unverändert: { $detail }
error-REFUSED = { $detail }
error-WRONG_PIN = Falsche PIN: noch { $left } Versuche, dann ist die Einrichtung eine Minute gesperrt
error-PIN_LOCKED_OUT = Die Einrichtung ist nach fünf falschen PINs gesperrt: in { $seconds } s erneut versuchen
error-SETUP_LOCKED = Die Einrichtung ist gesperrt: zuerst die Tür-PIN eingeben
error-CALIBRATION_MISMATCH = Der Scanner wurde nicht angelernt: { $detail }
error-DATABASE = Die lokale Datenbank hat versagt: { $detail }
error-IO = { $detail }: { $os }
error-OFFLINE = { $detail }
error-BAD_ANSWER = { $detail }
error-BUSY = { $detail }
error-AUTH = { $detail }
error-CONFLICT = { $detail }
error-REJECTED = { $detail }
error-TOKEN = { $detail }
error-NOT_OPEN = Die Tür ist nicht offen: zuerst einrichten oder die Demo starten
error-NOTHING_TO_UNDO = Auf diesem Gerät gibt es keinen Check-in zum Zurücknehmen
error-NOT_DEMO = Das kann nur die Demo
error-NOT_SHARING = Diese Tür teilt gerade nicht mit einer Türgruppe: in der Einrichtung eine anlegen oder beitreten, oder warten, bis „Zustand der Tür“ das Teilen zeigt
error-INTERNAL = { $detail }

## Worte anderer, so wie sie gesagt wurden.
quoted = { $words }

## Einstellungen und Argumente (INVALID_CONFIG).
config-language = Unbekannte Sprache { $tag }: eine von { $known } verwenden
config-base-url = { $url } ist keine brauchbare Basis-URL: { $why }
config-api = Unbekannte API { $api }: prod, sandbox oder eine URL mit http:// oder https:// verwenden
config-id = { $what ->
    [tenant] Mandant
    [event] Veranstaltung
    [admission] Einlass
   *[section] Bereich
} { $value } ist keine { $prefix }_…-ID
config-gate-name = Der Eingang braucht einen Namen
config-stored-damaged = { $what ->
    [api] Die gespeicherte API
    [mode] Der gespeicherte Eingangsmodus
    [admissions] Der gespeicherte Einlassfilter
   *[sections] Der gespeicherte Bereichsfilter
} ist beschädigt: `usher setup` noch einmal ausführen
config-retention = Die Daten einer Veranstaltung 1 bis 3650 Tage nach Einlassende behalten, nicht { $days }
config-pin-shape = Die Tür-PIN hat 4 bis 12 Ziffern
config-setup-needs-pin = Eine Tür-PIN wählen (4 bis 12 Ziffern): Sie hält die Einrichtung für das Personal
config-kiosk-needs-pin = Zuerst eine Tür-PIN wählen (4 bis 12 Ziffern): Das Schließen im Kiosk-Modus fragt nach ihr
config-check-token = Zuerst das Token prüfen
config-export-link = { $path } ist ein symbolischer Link: Ein Export wird nie durch einen Link geschrieben; die Datei selbst wählen
config-export-folder = { $path } ist ein Ordner: einen Dateinamen für den Export angeben

## Ablehnungen (REFUSED).
refused-lookup-off = Die Gästesuche ist an { $gate } ausgeschaltet (Profil des Eingangs): das Ticket scannen oder die Suche in der Einrichtung einschalten
refused-forget-waiting = { $waiting ->
    [one] 1 Scan der Veranstaltung { $event } wartet noch auf das Hochladen
   *[other] { $waiting } Scans der Veranstaltung { $event } warten noch auf das Hochladen
}: zuerst `usher sync` ausführen oder sie mit `usher export --pending --out DATEI` sichern (nichts wurde entfernt)

## Importe (IMPORT_REFUSED).
import-cannot-open = { $path } lässt sich nicht öffnen: { $os }
import-no-event = Die Datei hat kein "event"
import-no-tickets = Die Datei hat keine "tickets"-Liste

## Der Schlüssel der Gästeliste (CACHE_LOCKED).
locked-no-key-given = Sie ist verschlüsselt, und ihr Schlüssel wurde nicht übergeben

## Die lokale Datenbank (DATABASE).
db-no-random = Das Betriebssystem lieferte keine Zufallsbytes ({ $os })
db-pin-hash = Die PIN kann nicht gehasht werden ({ $why })
db-encrypt-busy = Die Gästeliste kann nicht verschlüsselt werden, solange ein anderes Usher-Fenster oder -Kommando sie offen hat (diese schließen und erneut versuchen): { $why }
db-encrypt-changed = Die Gästeliste hat sich während der Verschlüsselung geändert; nichts ging verloren, erneut versuchen

## Dateien (IO): was gerade getan wurde.
io-read = { $path } kann nicht gelesen werden
io-write = { $path } kann nicht geschrieben werden
io-remove = { $path } kann nicht entfernt werden
io-sync = { $path } kann nicht auf die Platte geschrieben werden
io-restrict = Die Rechte von { $path } können nicht eingeschränkt werden
io-create = { $path } kann nicht angelegt werden
io-copy = { $path } kann nicht kopiert werden
io-create-beside = Neben { $path } kann keine Datei angelegt werden
io-replace = Die verschlüsselte Kopie kann nicht an die Stelle von { $path } gesetzt werden
io-read-stdin = Die Standardeingabe kann nicht gelesen werden
io-read-token = Das Token kann nicht gelesen werden
io-write-export = Der Export kann nicht geschrieben werden

## Das Anlernen der Belegung des USB-Scanners (CALIBRATION_MISMATCH).
calibration-length = Der Scanner hat { $typed } Tasten getippt, der Kalibriercode hat { $expected }: Er hat Tasten ausgelassen oder hinzugefügt (ein Präfix oder Suffix im Scanner eingestellt?). Den Kalibriercode noch einmal scannen
calibration-no-key-code = Taste { $position } (für { $character }) kam ohne physischen Tastencode, daher lassen sich die Tasten dieses Scanners nicht lernen
calibration-same-key = Der Scanner hat dieselbe Taste ({ $key }) für { $first } und { $second } getippt: Das war nicht der Kalibriercode, oder der Scanner hat beim Tippen die Belegung gewechselt
calibration-two-keys = Der Scanner hat { $character } mit zwei verschiedenen Tasten getippt ({ $first } und { $second }): Das war nicht der Kalibriercode

## Die Scanner-Belegung: ihr Name, und warum eine gespeicherte nicht genutzt wird.
layout-US = US
layout-DE = Deutsch (QWERTZ)
layout-FR = Französisch (AZERTY)
layout-damaged = Die auf diesem Laptop gespeicherte Scanner-Belegung ist beschädigt ({ $why }): Scanner werden als US-Tastaturen gelesen. Den Kalibriercode in der Einrichtung noch einmal scannen
layout-unreadable = Die auf diesem Laptop gespeicherte Scanner-Belegung ist gerade nicht lesbar ({ $why }): Scanner werden als US-Tastaturen gelesen
layout-not-a-table = Sie ist keine Tastentabelle ({ $why })
layout-not-a-key = { $key } ist keine Taste
layout-not-one-character = { $key } tippt { $typed }, nicht ein Zeichen
layout-keys-per-character = { $keys } Tasten tippen { $character }, nicht eine

## Session Services nicht erreichbar oder antwortet nicht wie es soll (usher-sync).
failure-no-answer-status = Session Services hat nicht geantwortet (HTTP { $status }); wird erneut versucht
failure-not-session-services = Die Antwort unter der Adresse von Session Services stammt nicht von Session Services (HTTP { $status }): Adresse und Netz prüfen (eine Anmeldeseite?); wird erneut versucht
failure-not-now = Session Services konnte es gerade nicht tun ({ $status } { $code }: { $server }); wird erneut versucht
failure-unreadable-answer = Session Services hat eine Antwort geschickt, die diese App nicht lesen kann ({ $why }); wird erneut versucht. Hält das an, hat sich Session Services vielleicht geändert: dem Support Bescheid geben
failure-http-client = Der HTTP-Client startet nicht: { $why }
failure-timeout = Session Services hat nicht rechtzeitig geantwortet; wird erneut versucht
failure-unreachable = Session Services ist nicht erreichbar (Netz weg?); wird erneut versucht
failure-connection-broke = Die Verbindung zu Session Services ist abgebrochen; wird erneut versucht
failure-confirm-timeout = Session Services hat nicht rechtzeitig geantwortet; nach dem Cache entschieden
failure-page-stopped = Der Download einer Seite ist abgebrochen: { $why }
failure-token-refused = Session Services hat das Token nicht angenommen (401): mit einem neuen Token erneut anmelden. Die Scans bleiben in der Warteschlange.
failure-token-permission = Dem Token fehlt eine nötige Berechtigung (403: { $server }): ein Token mit dem Scope SCANNING anfordern. Die Scans bleiben in der Warteschlange.
sync-bad-answer = Session Services hat etwas geschickt, das die App nicht verwenden kann: { $detail }

## Das Token und der Schlüsselbund (TOKEN).
token-empty = Kein Token angegeben
token-malformed = Das Token enthält Leerzeichen oder Zeilenumbrüche; es noch einmal einfügen
token-missing = Kein Token für den Mandanten { $tenant } auf { $api }: `usher login` ausführen (oder SESSION_SERVICES_TOKEN setzen)
token-keychain-locked = Der Schlüsselbund des Betriebssystems ist gesperrt ({ $why }); ihn entsperren (an der Desktop-Sitzung anmelden), um das Token zu lesen
token-keychain-no-answer = Er hat nicht innerhalb von { $seconds } s geantwortet
token-keychain-missing = Der Schlüsselbund des Betriebssystems ist nicht verfügbar: { $why }
locked-no-key-in-keychain = Sie ist verschlüsselt, und der Schlüsselbund dieses Computers hat keinen Schlüssel für sie
keychain-test-folder = Der Test-Token-Ordner hat versagt: { $why }
keychain-key-damaged = Seine Kopie des Schlüssels der Gästeliste ist beschädigt
keychain-key-not-kept = Er hat den neuen Schlüssel der Gästeliste nicht behalten
keychain-no-thread = Es lässt sich kein Thread starten, um ihn zu fragen: { $why }
keychain-crashed = Der Aufruf des Schlüsselbunds ist abgestürzt

## Der Download der Gästeliste und die Fragen des Berichts (BAD_ANSWER, der Abgleich).
sync-writer-stopped = Der Schreiber der Gästeliste hat ohne ein Wort aufgehört
sync-writer-start = Der Schreiber startet nicht: { $why }
sync-walks-unfinished = Der Download der Gästeliste hat aufgehört, bevor jeder Durchlauf zu Ende war
sync-walk-stopped = Der Durchlauf { $walk } der Gästeliste: { $why }; dieser Durchlauf wurde angehalten und beginnt beim nächsten Abgleich neu
sync-refunds-walk = Die Liste der stornierten Tickets: { $why }
sync-cursor-repeats = Session Services hat nach { $pages } Seiten einen schon gesendeten Seiten-Cursor noch einmal gesendet
sync-walk-endless = Die Liste endete nicht innerhalb von { $pages } Seiten
reconcile-no-answer = Keine Antwort von Session Services ({ $why })
sync-uploads-cannot-start = Das Hochladen startet nicht: { $why }

## Die Station des Fensters (IO).
station-demo-start = Der Demo-Simulator startet nicht: { $why }
station-demo-restart = Der Demo-Simulator startet nicht neu: { $why }
station-write-tickets = Die Tickets können nicht nach { $path } geschrieben werden: { $why }
station-sync-runtime = Die Laufzeit für den Abgleich startet nicht: { $why }
station-write-status = Der Status kann nicht geschrieben werden: { $why }
station-no-folder = Dieser Benutzer hat weder einen Download- noch einen Home-Ordner
station-clear-demo = Der Demo-Ordner { $path } kann nicht geleert werden: { $why }
station-online-confirm = Die Online-Bestätigung startet nicht: { $why }
station-write-logs = In { $path } können keine Protokolle geschrieben werden: { $why }
station-stopped = Der Befehl hat unerwartet aufgehört: { $why }
shell-kiosk-window = Das Fenster kann nicht in den Kiosk-Modus wechseln: { $why }

## Eigene Fehler der Kommandozeile (INVALID_CONFIG, REFUSED, IO).
cli-decode-unreadable = { $failed } von { $files } Dateien ließen sich nicht als Bilder lesen
cli-camera-nothing-to-show = Der Cache hat keine Tickets zum Zeigen: zuerst `usher import` oder `usher demo` ausführen oder --show angeben
refused-logout-waiting = { $waiting } Scans warten noch auf das Hochladen: zuerst `usher sync` ausführen oder sie mit `usher export --pending --out DATEI` sichern (nichts wurde entfernt, das Token bleibt)
io-play = { $path } kann nicht abgespielt werden

## Doors that see each other (peer sharing).
error-PEER_SCAN = Eine verbundene Tür hat einen Scan geschickt, den diese Tür nicht behalten kann: { $detail }. Nichts aus dieser Sendung wurde behalten
peer-scan-bad = { $why }
peer-scan-bad-ticket = eine Ticket-ID, die keine ist ({ $ticket })
config-peer-address = { $address } ist keine Türadresse: als Host:Port angeben, z. B. 192.168.1.20:7300
config-join-qr = { $text } ist kein Beitritts-QR-Code von Usher: den QR-Code im Setup der ersten Tür noch einmal scannen oder ihren Code und ihre Adresse eingeben
config-join-needs-address = Zu einem Beitrittscode gehört die Adresse der ersten Tür (Host:Port, im Setup unter dem Code angezeigt)
config-join-code = { $code } ist kein Beitrittscode: Ein Beitrittscode hat zehn Buchstaben und Ziffern, z. B. ABCDE-FGHJK
error-PEER_NOT_IN_GROUP = Die Tür dort gehört nicht zu dieser Türgruppe (sie hat den Schlüssel der Gruppe nicht): Es wurde nichts ausgetauscht
error-PEER_TIMEOUT = Die andere Tür hat nicht rechtzeitig geantwortet
error-PEER_UNREACHABLE = Die andere Tür ist nicht erreichbar: { $detail }
error-PEER_PROTOCOL = Die andere Tür hat etwas gesagt, das diese Tür nicht lesen kann: { $detail }
error-PEER_RANDOM = Dieser Computer hat keine Zufallsbytes für einen Gruppenschlüssel geliefert: { $detail }
error-PEER_KEY_DAMAGED = Der Gruppenschlüssel im Schlüsselbund ist beschädigt: Gruppe verlassen und neu beitreten
error-PEER_KEY_NOT_KEPT = Der Schlüsselbund hat den Gruppenschlüssel nicht behalten: Diese Tür ist in keiner Gruppe
error-PEER_KEYCHAIN = Der Schlüsselbund hat beim Gruppenschlüssel versagt
error-PEER_JOIN_REFUSED = Der Beitritt wurde abgelehnt: Der Code ist falsch, abgelaufen, zu oft versucht, oder diese Tür hat keinen Beitrittscode offen. Nach einem neuen Code fragen
