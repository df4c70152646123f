# Die Seite des Fensters: fester Text (ui/index.html) und die Sätze ihrer Module (ui/i18n.js).

## Navigation und obere Leiste.
nav-scan = Scannen
nav-lookup = Suche
nav-activity = Aktivität
nav-health = Zustand
nav-setup = Einrichtung
count-in = Drin
sound-on = Ton an
sound-off = Stumm
sound-mute-title = Drücken, um die Töne auszuschalten
sound-unmute-title = Töne sind aus: drücken, um sie einzuschalten
online = Online
offline = Offline
online-title = Mit Session Services verbunden
offline-title = Keine Verbindung: Scans werden mit der Gästeliste auf diesem Gerät entschieden und später hochgeladen
waiting-to-upload = warten auf Upload
door-demo = DEMO
door-exit = { $gate } (Ausgang)
door-cache-only = nur Gästeliste
upload-problems = Upload-Probleme: { $count }
uploads-paused = Uploads angehalten: { $why }
oldest-pending = ältester { $age }
guest-list-age = Gästeliste { $age } alt
guest-list-stale = (veraltet!)
no-guest-list = noch keine Gästeliste
open-setup = Einrichtung öffnen
downloaded = Gästeliste geladen: { $rows } Gäste
downloading = Gästeliste wird geladen: { $rows } Gäste
downloading-of = Gästeliste wird geladen: { $rows } von { $expected } Gästen

## Alter, die die Seite selbst weiterzählt.
page-age-seconds = { $n } s
page-age-minutes = { $n } Min.
page-age-hours = { $h } Std. { $m } Min.
page-age-days = { $n } T.

## Willkommen.
welcome-lead = Diese Tür ist noch nicht eingerichtet.
welcome-locked = Die Gästeliste ist gesperrt.
try-demo = Demo ausprobieren
setup-real = Echte Tür einrichten
demo-starting = Demo startet …
demo-starting-long = Demo startet … die Demo-Gästeliste wird geladen.
data-folder = Datenordner: { $folder }

## Scannen.
ready = BEREIT
ready-detail = Ticket scannen oder unten einen Code eintippen und Enter drücken.
not-ready = NICHT BEREIT
admit-rest = Rest einlassen
admitting = Wird eingelassen …
camera-preview = Kamerabild
manual-label = Code eintippen, dann Enter
manual-placeholder = tkt_… oder ord_…
demo-tag = Demo
demo-show-ticket = Demo-Ticket hochhalten
demo-showing = Ein Demo-Ticket wird vor die Kamera gehalten …
demo-cut = Netz trennen
demo-restore = Netz wiederherstellen
demo-cut-done = Netz getrennt: Die Tür arbeitet mit der Gästeliste auf diesem Gerät weiter.
demo-restore-done = Netz wieder da: wartende Scans werden hochgeladen.
demo-save-tickets = Druckbare Tickets speichern
demo-saved = { $count } druckbare Tickets gespeichert in: { $folder }
something-wrong = Etwas ist schiefgegangen. Bitte noch einmal versuchen.

## Suche.
lookup-title = Gast suchen
lookup-label = Name, E-Mail, Telefon, Ticket oder Bestellung
lookup-placeholder = Tippen …
check-in = Einchecken
check-out = Auschecken
checking-in = Wird eingecheckt …
checking-out = Wird ausgecheckt …

## Aktivität.
activity-title = Aktivität an dieser Tür
undo-last = Letzten Check-in zurücknehmen
upload-problems-title = Upload-Probleme
recent-scans = Letzte Scans
no-scans = An dieser Tür wurde noch nichts gescannt.
undone = Zurückgenommen: { $who } ist wieder ausgecheckt. Der Check-out wird hochgeladen.
undone-guest = der Gast
nothing-to-undo = Nichts zurückzunehmen: An dieser Tür gibt es keinen Check-in zum Zurücknehmen.

## Zustand der Tür.
health-title = Zustand der Tür
health-spm = Scans pro Minute (letzte 5 Min.)
health-decision = Entscheidungszeit
health-enter = Enter bis Ergebnis
health-pending = Warten auf Upload
health-oldest = Ältester wartender
health-cache-age = Alter der Gästeliste
health-camera = Kamera
health-network = Netz
health-pace = Tempo, letzte 30 Minuten (Scans pro Minute)
health-no-scans = Noch keine Scans
health-save-diagnostics = Diagnose speichern
saved-in = Gespeichert in: { $folder }
search-index-error = Gästesuche: { $why }

## Einrichtung.
setup-title = Diese Tür einrichten
language = Sprache
language-os = Wie dieser Computer ({ $language })
door-pin = Tür-PIN
unlock-setup = Einrichtung entsperren
step-account = 1. Konto
environment = Umgebung
env-production = Produktion
env-sandbox = Sandbox
env-custom = Eigene URL
api-address = API-Adresse
tenant-id = Mandanten-ID
api-token = API-Token (Scannen)
check-token = Token prüfen
checking = Wird geprüft …
step-event = 2. Veranstaltung und Eingang
event = Veranstaltung
gate-name = Name des Eingangs
direction = Richtung
direction-entry = Eingang: Gäste einchecken
direction-exit = Ausgang: Gäste auschecken
admissions-here = Ticketarten mit Einlass an diesem Eingang
sections-here = Bereiche mit Einlass an diesem Eingang
guest-lookup = Gästesuche
guest-lookup-note = Personal kann an dieser Tür die Gästeliste nach Name, E-Mail oder Telefon durchsuchen
offline-label = Offline
offline-note = Jeden Scan mit der Gästeliste entscheiden (nicht den Server fragen)
forget-after = Vergessen nach
forget-after-note = Tagen nach Einlassende der Veranstaltung (Gästeliste und Scans verlassen diesen Laptop)
pin-placeholder = 4 bis 12 Ziffern (leer: die bisherige behalten)
setup-finish = Gästeliste laden und Tür öffnen
step-forget = 4. Diese Veranstaltung vergessen
forget-note = Entfernt Gästeliste und Scanprotokoll dieser Veranstaltung von diesem Laptop. Abgelehnt, solange Scans auf den Upload warten.
forget-event = Diese Veranstaltung vergessen
export-pending = Wartende Scans in eine Datei speichern
forget-confirm = Gästeliste und Scanprotokoll dieser Veranstaltung auf diesem Laptop vergessen?
forgot = Veranstaltung { $event } vergessen: { $tickets } Tickets und { $scans } Scans entfernt.
saved-waiting = Wartende Scans gespeichert in { $folder }
not-set-up = Diese Tür ist noch nicht eingerichtet.
type-api = Bitte die API-Adresse eintippen.
type-tenant = Bitte die Mandanten-ID eintippen.
paste-token = Bitte das API-Token einfügen.
choose-event = Bitte zuerst die Veranstaltung wählen.
tick-admission = Bitte mindestens eine Ticketart für diesen Eingang ankreuzen.
tick-section = Bitte mindestens einen Bereich für diesen Eingang ankreuzen.
no-events = Keine Veranstaltungen für diesen Mandanten gefunden
no-admissions = Diese Veranstaltung hat keine Ticketarten.
no-sections = Diese Veranstaltung hat keine Bereiche.
downloading-list = Gästeliste wird geladen …
setup-done = Fertig. Die Tür ist offen.

## Mehr von der oberen Leiste, dem Zustand, der Suche und der Einrichtung.
synced = synchronisiert { $time }
not-synced = noch nicht synchronisiert
about = Über:
last-ms = zuletzt { $ms }
none-waiting = keiner wartet
no-usb-scan = noch kein USB-Scan
retention = Gästeliste und Scans einer Veranstaltung werden { $days } Tage nach Einlassende vergessen.
no-match = Kein Gast gefunden.
guests-found = Gäste: { $count }
setup-now = Jetzt: { $door }
setup-gate-entry = Eingang { $gate } (Einlass)
setup-gate-exit = Eingang { $gate } (Ausgang)
setup-tenant = Mandant { $tenant }
service-token = ein Dienst-Token (keine Person)
token-accepted = Token angenommen: { $who }.
able-all = Kann offenbar Tickets für jede aufgeführte Veranstaltung scannen
able-some = Kann offenbar Tickets für { $able } von { $events } Veranstaltungen scannen
able-unknown = Die Scan-Berechtigung ließ sich aus den Berechtigungen des Tokens nicht bestätigen; der erste Check-in zeigt es.
event-entry = Einlass { $when }
token-denies = Token verbietet das Scannen
scan-unconfirmed = Scan-Berechtigung nicht bestätigt
main-door = Haupteingang

## Screen readers' names of the page's regions.
aria-screens = Ansichten
aria-checked-in = Eingelassen
aria-checked-in-per-admission = Eingelassen je Zutrittsart
aria-scan = Scannen
aria-camera-and-entry = Kamera und Eingabe von Hand
aria-pace-chart = Scans pro Minute in den letzten 30 Minuten

## Door health's shift report (health.js).
health-save-report = Schichtbericht speichern
report-saved = Gespeichert: { $html } und { $csv }; { $checked }.
report-checked = mit Session Services abgeglichen: { $count } Abweichungen
report-not-checked = nicht mit Session Services abgeglichen ({ $why })

## Setup's USB scanner section (scanner.js): the calibration code.
step-scanner = 5. USB-Scanner
scanner-note = Ist der USB-Scanner auf eine andere Tastaturbelegung als US eingestellt? Außerhalb eines Feldes klicken und dann diesen Code mit ihm scannen.
scanner-qr-alt = Kalibriercode für USB-Scanner
scanner-forget = Scanner-Belegung vergessen (zurück zu US)
scanner-layout-us = Scanner-Belegung: US-Tastatur (Standard).
scanner-layout-taught = Scanner-Belegung: { $name }, vom Kalibriercode gelernt.
scanner-layout-taught-own = Scanner-Belegung: eine eigene, vom Kalibriercode gelernt.
scanner-layout-warning = Scanner-Belegung: US. { $warning }.
scanner-layout-not-loaded = Scanner-Belegung nicht geladen ({ $why }); Scanner werden so gelesen, wie das Betriebssystem sie tippt.
scanner-learning = Die Belegung des Scanners wird gelernt…
scanner-taught = Scanner angelernt: Belegung { $name } erkannt.
scanner-taught-own = Scanner angelernt: eine eigene Belegung.
scanner-then-again = { $why }, dann den Kalibriercode noch einmal scannen.
scanner-error = { $why }.
scanner-forgotten = Scanner-Belegung vergessen: Scanner werden als US-Tastaturen gelesen.

## Kiosk mode (kiosk.js): Setup's switch and the close dialog.
step-kiosk = Kioskmodus
kiosk-note = Für ein Tablet oder einen Bildschirm an der Tür: Vollbild ohne Fensterrahmen, der Bildschirm bleibt an, solange die Tür offen ist, und Usher fragt beim Schließen nach der Tür-PIN.
kiosk-switch = Kioskmodus an dieser Tür
kiosk-pin = Tür-PIN
kiosk-pin-placeholder = nötig, wenn die Tür noch keine hat (leer: bleibt)
kiosk-apply = Kioskmodus übernehmen
kiosk-quit = Usher schließen
kiosk-is-on = Der Kioskmodus ist an: Vollbild, der Bildschirm bleibt an, und Schließen fragt nach der Tür-PIN.
kiosk-is-off = Der Kioskmodus ist aus.
kiosk-close-title = Usher schließen?
kiosk-close-note = Diese Tür ist im Kioskmodus: Schließen braucht die Tür-PIN.
kiosk-keep-open = Tür offen lassen
kiosk-waiting-unknown = Wie viele Scans auf das Hochladen warten, ließ sich nicht lesen.
kiosk-waiting-none = Keine Scans warten auf das Hochladen.
kiosk-waiting-one = 1 Scan wartet auf das Hochladen: Er bleibt beim Schließen auf diesem Gerät und wird hochgeladen, sobald Usher wieder online läuft.
kiosk-waiting-many = { $count } Scans warten auf das Hochladen: Sie bleiben beim Schließen auf diesem Gerät und werden hochgeladen, sobald Usher wieder online läuft.
kiosk-type-pin = Die Tür-PIN eingeben, um Usher zu schließen.
kiosk-closing = Wird geschlossen…
kiosk-stays-open = { $why } Usher bleibt offen.

## Türen, die einander sehen: die Sync-Leiste, der Türstatus, die Türgruppe im Setup.
doors-linked-one = 1 Tür verbunden
doors-linked-many = { $count } Türen verbunden
health-door-group = Türgruppe
door-group-off = Diese Tür ist in keiner Türgruppe (Setup → Türgruppe).
door-group-starting = Das Teilen der Scans mit der Türgruppe startet…
door-group-on = { $linked } verbunden · erreichbar unter { $at } · { $refused } abgewiesene Verbindungen (falscher Gruppenschlüssel)
door-group-failed = Scans werden nicht geteilt: { $why }
door-group-no-peers = Noch keine andere Tür gehört.
peer-name = Tür
peer-state = Zustand
peer-last-heard = Zuletzt gehört
peer-lag = Verzögerung
peer-received = Empfangene Scans
link-connecting = verbindet
link-linked = verbunden
link-unreachable = nicht erreichbar
link-not-in-group = nicht in dieser Gruppe
link-myself = diese Tür
peer-never = nie
step-door-group = Türgruppe
door-group-note = Die Türen einer Gruppe teilen ihre Scans über das Netz der Spielstätte, solange Session Services nicht erreichbar ist. Die erste Tür legt die Gruppe an; jede weitere tritt mit ihrem Code bei.
door-group-none = Diese Tür ist in keiner Türgruppe.
door-group-in = In der Türgruppe { $hint }.
door-group-create = Türgruppe anlegen
door-group-leave = Türgruppe verlassen
door-group-leave-confirm = Die Türgruppe verlassen? Diese Tür teilt dann keine Scans mehr mit den anderen.
door-group-with-token = Das Token dieser Tür mit dem Code weitergeben (direkt in den Schlüsselbund der neuen Tür)
door-group-invite = Beitrittscode zeigen
door-group-qr-alt = Beitritts-QR-Code für eine neue Tür
door-group-code = Beitrittscode: { $code } (gültig { $minutes } Min.)
door-group-addresses = Adresse dieser Tür: { $addresses }
door-group-join-title = Einer Türgruppe beitreten
door-group-join-code = Beitrittscode oder QR-Text
door-group-join-note = Ins Feld klicken und den Beitritts-QR-Code der ersten Tür mit dem USB-Scanner scannen, oder ihren Code und ihre Adresse eingeben.
door-group-join-at = Adresse der ersten Tür
door-group-join-gate = Name dieses Eingangs
door-group-join = Der Türgruppe beitreten
door-group-joining = Tritt bei…
door-group-joined-open = Beigetreten. Die Gästeliste ist geladen und die Tür ist offen.
door-group-joined-token = Beigetreten. Diese Tür hat die Einrichtung der Gruppe: Unter 1. Konto ein Token prüfen, um sie zu öffnen.
door-group-peers = Türen nach Adresse
door-group-peers-note = Für Netze, die die Suche blockieren: eine Tür pro Zeile, als Host:Port.
door-group-peers-save = Liste speichern
door-group-peers-saved = Die Liste ist gespeichert.
