# Todo lo que FibroBot dice que no es una respuesta de las preguntas frecuentes, en español.
#
# Archivo Fluent (https://projectfluent.org/fluent/guide/). Tiene las mismas claves y los
# mismos { $campos } que content/en/texts.ftl, el original en inglés; cambia solo las palabras.
# `fibrobot content check` compara este archivo con el inglés y nombra lo que falta o sobra.

welcome =
    Hola { $first_name }, te damos la bienvenida 💜

    Soy { $bot_name }, el asistente de la comunidad. Puedo responder preguntas frecuentes sobre la fibromialgia y la terapia con células madre, basadas en nuestro blog, y darte los enlaces de la comunidad.

    Toca un botón, o escribe /faq seguido de tu pregunta, por ejemplo <code>/faq costo</code>.
help =
    <b>Lo que puedo hacer</b>

    { $commands }

    Consejo: en el grupo, escribe tu pregunta después de /faq, por ejemplo <code>/faq es seguro</code>.
disclaimer = ℹ️ Información general, no es consejo médico. Habla con tu médico antes de tomar cualquier decisión sobre un tratamiento.
faq_menu = <b>Preguntas frecuentes de la comunidad</b> (página { $page } de { $pages }). Toca una para leer la respuesta.
faq_no_match = Lo siento, no encontré una respuesta para “{ $query }”. Estos son los temas que conozco:
faq_did_you_mean = Encontré más de un tema que podría encajar con “{ $query }”. ¿Cuál buscabas?
faq_free_text_hint = Hola 💜 Soy un pequeño bot de ayuda. Respondo preguntas sobre la fibromialgia y la terapia con células madre: pregúntame con tus palabras, o escribe /faq para ver los temas y /help para ver todo lo que hago.
faq_no_answer_private = No tengo una respuesta para eso en lo que sé. No puedo aconsejarte sobre tus medicamentos, dosis o tratamiento: tu médico o farmacéutico sí puede. Usa /faq para ver los temas que conozco.
faq_unknown_topic = Ese tema ya no está en las preguntas frecuentes. Estos son los temas que conozco:
faq_read_more_private = La respuesta completa es más larga; toca abajo para leerla en un chat privado conmigo.
crisis = Siento mucho que estés pasando por esto. Importas, y no tienes que afrontarlo sola ni solo. Soy solo un bot y no puedo ayudar en una crisis, pero hay personas que sí pueden, ahora mismo:
links_intro = <b>Nuestra comunidad</b>
unknown_command = No conozco el comando { $command }, lo siento. Escribe /help para ver lo que puedo hacer.
error_apology = Lo siento, algo falló de mi lado. Inténtalo de nuevo dentro de un rato.
error_admin_note = ⚠️ FibroBot tuvo un error ({ $error }) con la actualización { $update_id }. Los detalles están en el registro del bot.
admin_only = Lo siento, solo las personas que administran la comunidad pueden hacer eso.
button_back = ⬅️ Volver a los temas
button_menu = 📚 Todos los temas
button_related = ↪️ { $title }
button_faq = 📚 Preguntas y respuestas
button_links = 🔗 Enlaces de la comunidad
button_next = Siguiente ➡️
button_prev = ⬅️ Anterior
button_read_more = 📖 Leer la respuesta completa en privado
button_emergency = 🆘 Buscar una línea de ayuda

## Anuncios (solo administración)
when_forms = Puedes escribir: <code>now</code>, <code>2026-12-01 18:00</code>, <code>tomorrow 9:00</code>, <code>in 2 hours</code>, <code>every day 9:00</code>, <code>every monday 18:00</code>, <code>first day of the month 10:00</code>, o una línea cron como <code>0 9 * * mon</code>. También <code>in 1h30m</code>, <code>every other friday 19:00</code> y <code>every 2 weeks on monday 18:00</code>.
when_unknown = No pude leer eso como una fecha y hora.
when_no_time = Añade una hora del día, por ejemplo <code>{ $example }</code>.
when_no_day = ¿Qué día? Por ejemplo <code>today { $time }</code>, <code>tomorrow { $time }</code> o <code>every day { $time }</code>.
when_bare_hour = Escribe la hora con sus minutos, como <code>{ $hour }:00</code>, o con am o pm, para que no tenga que adivinar entre mañana y tarde.
when_past = Lo entendí como { $when }, y esa hora ya pasó (las horas están en { $zone }).
when_day_unknown = No conozco el día “{ $word }”. Escribe un día de monday a sunday, o mon, tue, wed, thu, fri, sat, sun.
when_span_unit = Añade una unidad de tiempo, como <code>in { $number } minutes</code> o <code>in { $number } hours</code> (también días y semanas).
when_span_and_time = Indica un tiempo desde ahora, como <code>in { $span }</code>, o un día y una hora, como <code>tomorrow 10:00</code>, pero no las dos cosas.
when_span_long = Eso queda muy lejos. Indica mejor la fecha, como <code>1 June 18:00</code>.
when_biweekly = “Biweekly” puede significar dos veces por semana o cada dos semanas. Escribe <code>every 2 weeks on monday 18:00</code> o <code>every monday and thursday 18:00</code>.
when_step_no_day = ¿Qué día de la semana? Por ejemplo <code>every { $step } weeks on monday 18:00</code>.
when_step_unit = Las repeticiones van por días o semanas, a una hora del día: <code>every 2 days 9:00</code>, <code>every 2 weeks on monday 18:00</code>, o para una publicación mensual <code>first day of the month 10:00</code>.
when_step_range = Elige una repetición entre cada semana y cada 52 semanas.
when_start_unknown = No pude leer “{ $start }” como fecha de inicio. Escríbela así: <code>from 4 december</code> o <code>from friday</code>.
when_ambiguous = Esa fecha se puede leer de dos maneras (día/mes o mes/día). Escríbela así: <code>2026-12-01 18:00</code> o <code>1 December 18:00</code>.
when_bad_cron = Esa línea cron no es válida, o nunca ocurre. Tiene cinco partes: minuto, hora, día, mes y día de la semana, por ejemplo <code>0 9 * * mon</code>.
when_too_often = Eso publicaría más de una vez por hora. Elige una repetición más tranquila.
when_now = ahora
when_repeat = { $phrase } (próxima: { $next })
announce_ask_text = 📣 <b>Nuevo anuncio</b> para el grupo de la comunidad. Envíame el texto: se mantienen la negrita, la cursiva y los enlaces. También sirve una foto, un documento o un vídeo con su texto.
announce_group_reply = Responde a este mensaje, así puedo ver el tuyo.
announce_no_community = Todavía no conozco el grupo de la comunidad. Añádeme al grupo y envía /setup allí; luego vuelve a intentarlo.
announce_not_text = Envía el anuncio como un mensaje de texto, o como una foto, un documento o un vídeo con su texto.
announce_media_gone = ⚠️ No pude publicar el anuncio #{ $id }: Telegram ya no tiene su imagen o archivo. Envía /edit { $id } para ponerle uno nuevo.
edit_usage = Envía /edit seguido del número de la publicación, por ejemplo <code>/edit 12</code>. /scheduled las muestra.
edit_ask = ¿Qué debe cambiar en #{ $id }?
button_edit_content = ✏️ Texto o imagen
button_edit_time = 🕒 Hora
edit_ask_content = Envía el nuevo texto, o una nueva foto, documento o vídeo con su texto. Un texto nuevo solo mantiene la imagen o el archivo actual.
edit_ask_time = ¿Cuándo debe salir ahora?
edit_done = ✅ #{ $id } cambiado (👆 así se verá). Próxima vez: { $next }.
edit_cancelled = De acuerdo, no se cambió nada.
announce_too_long = Son { $length } caracteres; Telegram permite 4096. Acórtalo un poco.
announce_preview = 👆 Así se verá. ¿Cuándo lo publico?
announce_ask_pin = Cuándo: { $when }. ¿Lo fijo en el grupo (en silencio, sin notificación)?
announce_ask_topic = El grupo tiene temas. ¿A cuál va? Envía el número del tema o un enlace a él, o toca Sin tema.
announce_bad_topic = Envía un número de tema como <code>12</code>, o un enlace al tema.
announce_confirm =
    <b>¿Listo?</b>
    Cuándo: { $when }
    Fijado: { $pin }
    Tema: { $topic }
announce_posted = ✅ Publicado en el grupo (#{ $id }).
announce_scheduled = ✅ Programado como #{ $id }. Próxima vez: { $next }. /scheduled muestra todo.
announce_cancelled_draft = De acuerdo, lo descarté. No se programó nada.
announce_timeout = Descarté el borrador del anuncio tras 15 minutos sin actividad. Envía /announce cuando quieras empezar de nuevo.
announce_stale_button = Este borrador ya terminó. Envía /announce para empezar uno nuevo.
announce_missed = ⚠️ El anuncio #{ $id } tocaba el { $due }, pero estuve desconectado más de { $grace ->
        [one] un minuto
       *[other] { $grace } minutos
    }, así que no lo publiqué tarde. Vuelve a programarlo con /announce si todavía sirve.
announce_failed = ⚠️ No pude publicar el anuncio #{ $id }. Telegram dijo: { $error }
announce_pin_failed = Publiqué #{ $id } pero no pude fijarlo. Para fijar, hazme administrador del grupo con permiso para fijar mensajes.
button_now = ⚡ Ahora
button_cancel = ✖️ Cancelar
button_pin = 📌 Fijarlo
button_no_pin = No fijar
button_no_topic = Sin tema
button_confirm = ✅ Confirmar
pin_yes = sí, en silencio
pin_no = no
topic_none = ninguno
scheduled_header = <b>Publicaciones programadas</b> (horas en { $zone })
scheduled_line =
    <b>#{ $id }</b> · { $when } · próxima { $next }{ $flags }
    <i>{ $preview }</i>
scheduled_post_line = <b>{ $id }</b> · { $title } · { $when } · próxima { $next }{ $flags }
scheduled_empty = No hay nada programado. Envía /announce para preparar una publicación.
scheduled_footer = Gestiónalas con /pause ID, /resume ID o /cancel ID.
flag_paused = ⏸ en pausa
flag_pinned = 📌
manage_usage = Añade el id que muestra /scheduled, por ejemplo <code>/{ $command } 12</code>.
manage_unknown = No encuentro { $id } entre las publicaciones programadas. /scheduled las muestra.
manage_done = #{ $id } ya se publicó, se perdió o se canceló; no hay nada que cambiar.
cancelled = 🗑 #{ $id } está cancelado; no se publicará.
cancel_content_post = “{ $id }” viene de posts.yaml, así que no se puede cancelar aquí. Puedes ponerlo en pausa con /pause, o quitarlo del archivo.
paused = ⏸ La publicación { $id } está en pausa. /resume { $id } la reactiva.
resumed = ▶️ La publicación { $id } vuelve a estar activa. Próxima: { $next }.
already_paused = La publicación { $id } ya está en pausa.
not_paused = La publicación { $id } no está en pausa.
resume_past = La hora de #{ $id } pasó mientras estaba en pausa, así que no puedo reactivarla. Vuelve a programarla con /announce.
setup_done = ✅ Este grupo es ahora el grupo de la comunidad. Publicaciones programadas trasladadas aquí: { $moved }.
setup_private = Envía /setup en el propio grupo de la comunidad.
setup_already = Este grupo ya es el grupo de la comunidad. Todo listo.

## Las normas del grupo: se muestran a quien llega al grupo y con /start en privado.
rules =
    <b>Normas del grupo</b>
    1. Sé amable y paciente: aquí todo el mundo sabe lo que es un día difícil.
    2. Comparte experiencias, no consejos médicos. Las decisiones sobre tratamientos se toman con tu médico.
    3. Lo que se comparte en el grupo se queda en el grupo. Nada de capturas de otras personas sin preguntar.
    4. Nada de ventas, publicidad ni recaudación de fondos sin el acuerdo de la administración.
    5. Si algo te preocupa, escribe en privado a alguien de la administración.

## La breve bienvenida en el grupo cuando alguien entra.
group_welcome = Hola, { $names } 💜 Bienvenida a la comunidad: nos alegra mucho la llegada. Aquí no hay prisa: se puede leer con calma y saludar cuando apetezca.
welcome_names_two = { $first } y { $second }
welcome_names_three = { $first }, { $second } y { $third }
welcome_names_more = { $first }, { $second } y { $others } personas más
welcome_on = 👋 Las bienvenidas están activadas: quien llega recibe un saludo breve con las normas. /welcome off las desactiva.
welcome_off = 🔕 Las bienvenidas están desactivadas: quien llega entra en silencio. /welcome on las vuelve a activar.
welcome_usage = Escribe <code>/welcome on</code> o <code>/welcome off</code>.
button_subscribe = 🌱 Consejos diarios

## Novedades del blog publicadas en el grupo.
feed_article =
    📰 <b>{ $title }</b>

    { $summary }
button_read_blog = 📖 Leer en el blog
feed_more = 📰 <b>Más novedades en el blog</b> ({ $count }):
feed_digest = 📰 <b>Hoy en el blog</b> ({ $count }):

## Para la administración: /help muestra también estos comandos; /stats y `fibrobot stats`.
admin_help =
    <b>Para la administración</b>

    { $commands }
stats_report =
    <b>Estadísticas de la comunidad</b> ({ $date })

    👋 Entradas: { $joined_7 } en 7 días, { $joined_30 } en 30 días
    🚪 Salidas: { $left_7 } en 7 días, { $left_30 } en 30 días
    🌱 Suscripciones a consejos: { $subscribers }
    💡 Consejos enviados: { $tips }
    📣 Anuncios publicados: { $announcements }

    <b>Temas más leídos (30 días)</b>
    { $top_faq }
stats_subscribers = { $count } ({ $change } en 30 días)
stats_pair = { $week } en 7 días, { $month } en 30 días
stats_faq_line = • { $title }: { $count }
stats_no_faq = ninguno todavía
stats_chart_title = Los últimos 30 días
stats_chart_joined = Entradas
stats_chart_left = Salidas
stats_chart_faq = Respuestas leídas
stats_chart_caption = 📊 Los últimos 30 días
doctor_private_only = 🩺 Envíame /doctor en un chat privado: el informe es para la administración.
doctor_header = 🩺 <b>Revisión de la configuración</b> (✓ bien, ✗ para revisar)

## Consejos diarios (/subscribe, /tip, /settings, /unsubscribe)
tips_ask_time =
    🌱 <b>Consejos diarios</b>

    Una idea breve y amable para el día a día con fibromialgia, una vez al día, a la hora que elijas.

    ¿A qué hora te gustaría recibirla? Toca una hora, o escribe una como <code>9:30</code>.
tips_ask_zone =
    Tu consejo llegará a las <b>{ $time }</b>. ¿En qué zona horaria?

    Toca una, o escribe tu ciudad (<code>Madrid</code>), una zona (<code>America/Mexico_City</code>) o una diferencia horaria (<code>UTC-3</code>).
tips_ask_new_time = ¿A qué hora quieres tu consejo? Toca una hora, o escribe una como <code>9:30</code>.
tips_ask_new_zone = ¿Qué zona horaria? Toca una, o escribe tu ciudad (<code>Madrid</code>), una zona (<code>America/Mexico_City</code>) o una diferencia horaria (<code>UTC-3</code>).
tips_pick_zone = { $place } tiene más de una zona horaria. ¿Cuál es la tuya?
tips_bad_time = Lo siento, no pude leer “{ $text }” como una hora. Toca una hora abajo, o escribe una como <code>9:30</code> o <code>18:00</code>.
tips_bad_zone = Lo siento, no conozco la zona horaria “{ $text }”. Prueba con la ciudad grande más cercana (<code>Madrid</code>), una zona (<code>America/Mexico_City</code>) o una diferencia horaria (<code>UTC-3</code>), o toca una abajo.
tips_use_buttons = Toca uno de los botones de abajo, por favor.
tips_subscribed =
    ✅ Te has suscrito. Tu primer consejo llega { $when }.

    Para cambiar la hora, hacer una pausa durante un brote o dejarlo, envía /settings.
tips_already = Ya recibes un consejo diario a las { $time } ({ $zone }). El próximo llega { $when }.
tips_settings =
    <b>Tu consejo diario</b>
    Hora: { $time } ({ $zone })
    { $status }
tips_status_active = Próximo consejo: { $when }.
tips_status_paused = En pausa hasta el { $until }; los consejos vuelven solos.
tips_not_subscribed = Ahora no recibes consejos diarios. Envía /subscribe para empezar.
tips_changed = Hecho. Tu próximo consejo llega { $when }.
tips_ask_pause = Descansar está permitido 💜 ¿Durante cuánto tiempo pauso tus consejos? Vuelven solos.
tips_paused = Tus consejos están en pausa hasta el { $until }. Vuelven solos, o envía /settings para reanudarlos antes. Cuídate mucho 💜
tips_resumed = Qué bien tenerte de vuelta 💜 Tu próximo consejo llega { $when }.
tips_ask_unsubscribe = ¿Dejar de recibir los consejos diarios?
tips_unsubscribed = Tus consejos diarios se han detenido. Gracias por haberlos tenido contigo; puedes volver cuando quieras con /subscribe 💜
tips_kept = Bien, tus consejos continúan. El próximo llega { $when }.
tips_private_only = Hagamos esto en nuestro chat privado, así queda entre nosotros. Toca abajo.
tips_in_private = Los consejos diarios llegan en un chat privado conmigo. Toca abajo para elegir tu hora.
tips_today =
    🌱 <b>El consejo de hoy</b>

    { $tip }
tips_none = Todavía no hay consejos. Pide a la administración que añada algunos.
tips_when_today = hoy a las { $time }
tips_when_tomorrow = mañana a las { $time }
tips_when_date = el { $date }, a las { $time }
button_open_private = 💬 Abrir un chat privado
button_tip_subscribe = 🌱 Un consejo cada día
button_tip_faq = 📖 { $title }
button_time = { $time }
button_default_time = ✨ { $time }, hora de la comunidad ({ $zone })
button_zone = { $zone }
button_community_zone = 🏠 { $zone } (hora de la comunidad)
button_tips_settings = ⚙️ Ajustes
button_change_time = 🕒 Cambiar la hora
button_change_zone = 🌍 Cambiar la zona horaria
button_pause = ⏸ Pausa por brote
button_pause_days = { $days ->
        [one] { $days } día
       *[other] { $days } días
    }
button_resume = ▶️ Reanudar
button_unsubscribe = 🚫 Cancelar suscripción
button_confirm_unsubscribe = Sí, detener mis consejos
button_keep = No, mantenerlos

## Tus datos (/mydata, /forget)
privacy_mydata =
    <b>Lo que guardo sobre ti</b>

    { $data }

    Nada más: ni nombres ni mensajes. Para borrarlo todo, envía /forget.
privacy_nothing = No guardo nada sobre ti.
privacy_ask_forget = Esto borra todo lo que guardo sobre ti ({ $kinds }), también tu id en el registro de suscripciones. No se puede deshacer. ¿Lo borro?
privacy_forgotten = Hecho: todo lo que guardaba sobre ti está borrado. Si vuelves a escribirme, solo anotaré tu id y la hora, como hago con todo el mundo.
privacy_kept = No se borró nada.
button_forget = Sí, borrar todo
button_keep_data = No, mantenerlo
button_open_in_bot = 💬 Abrir en el bot
inline_no_match_title = Ninguna respuesta coincide
inline_no_match_description = Toca para compartir un enlace al bot, donde están todos los temas.
inline_no_match_text = No encontré una respuesta para “{ $query }”. Todos los temas, y una forma de escribir en privado a la administración, están en el bot: @{ $bot }
inline_crisis_title = 🆘 Si estás en una crisis, aquí hay ayuda
button_ask = ✉️ Escribir a la administración
ask_prompt = ✉️ Escribe tu mensaje para la administración: texto, una foto o un mensaje de voz. Solo lo ve la administración, que te responde aquí, en este chat. Envía /done cuando termines.
ask_sent = ✅ Tu mensaje llegó a la administración. Te responderán aquí. Puedes seguir escribiendo, o enviar /done.
ask_done = Gracias 💜 La administración todavía puede responderte aquí. /ask para volver a escribirles.
ask_in_private = Para escribir en privado a la administración, toca abajo: solo ellos verán tu mensaje.
ask_unavailable = Lo siento, escribir a la administración todavía no está configurado. Mientras tanto tienes /faq y /links.
ask_limit = Has enviado { $limit } mensajes a la administración en la última hora, lo máximo que puedo transmitir. Ya los tienen y te responderán; puedes volver a escribir un poco más tarde. 💜
ask_blocked = Ahora mismo la administración no puede recibir tus mensajes a través de mí. /faq y /links siguen aquí para ti.
ask_not_supported = Puedo transmitir a la administración texto, fotos y mensajes de voz.
ask_failed = Lo siento, ahora no pude transmitir tu mensaje. Inténtalo de nuevo dentro de un rato.
ask_media_hint = Yo no puedo leer fotos ni mensajes de voz, pero la administración sí: toca abajo y vuelve a enviarlo.
ask_admin_header =
    💬 <b>{ $name }</b> · #{ $short_id } escribió a la administración.
    Responde a este mensaje o a cualquiera de los suyos para contestar; tu nombre no se muestra salvo que uses /sign. En una respuesta: /close, /block, /unblock.
ask_admin_topic_intro =
    💬 <b>{ $name }</b> · #{ $short_id } escribió a la administración.
    Escribe en este tema para contestar; tu nombre no se muestra salvo que uses /sign. Aquí: /close, /block, /unblock.
ask_admin_crisis = ⚠️ <b>Palabras de crisis</b> en el siguiente mensaje. A la persona se le mostró primero el texto de emergencia y las líneas de ayuda.
ask_admin_undelivered = ⚠️ No entregado: la persona ha bloqueado el bot o borrado el chat.
ask_admin_not_copied = ⚠️ No entregado. Telegram dijo: { $error }
ask_admin_unknown_reply = No sé a qué miembro responde esto. Responde a uno de sus mensajes, o escribe en su tema.
ask_admin_which = Usa esto en el tema de un miembro, o como respuesta a uno de sus mensajes.
ask_admin_closed = Conversación cerrada. Si vuelve a escribir, se abre de nuevo.
ask_admin_blocked = Bloqueado: sus mensajes ya no te llegan. /unblock lo deshace.
ask_admin_already_blocked = Ya estaba bloqueado.
ask_admin_unblocked = Desbloqueado: sus mensajes vuelven a llegarte.
ask_admin_not_blocked = No estaba bloqueado.
ask_admin_forgotten = El miembro pidió borrar sus datos; esta conversación está cerrada.
ask_admin_sign_on = Tus respuestas terminan ahora con tu nombre. /sign otra vez para dejar de mostrarlo.
ask_admin_sign_off = Tus respuestas ya no muestran tu nombre.
ask_signature = — { $name }, administración
ask_member_closed = La administración cerró esta conversación. Puedes volver a escribirles cuando quieras con /ask.
privacy_language = Idioma: { $language } (elegido por ti)
data_kind_member = Miembro
data_kind_tips = Consejos diarios
data_kind_events = Entradas y salidas del grupo
data_member_id = id de Telegram { $id }
data_first_seen = visto por primera vez: { $when }
data_last_seen = visto por última vez: { $when }
data_tips_status = estado: { $status ->
        [active] activa
        [paused] en pausa
       *[ended] terminada
    }, a las { $time } en { $zone }
data_tips_paused = en pausa hasta { $until }
data_tips_next = próximo consejo: { $when }
data_tips_since = suscripción desde { $date }
data_tips_language = consejos en: { $language }
data_tips_records = { $count ->
        [one] { $count } registro de consejo diario: fecha, id del consejo, estado
       *[other] { $count } registros de consejos diarios: fecha, id del consejo, estado
    }
data_tips_log = { $count ->
        [one] { $count } cambio en el registro de suscripciones: tipo, hora, comando
       *[other] { $count } cambios en el registro de suscripciones: tipo, hora, comando
    }
data_events = { $kind ->
        [join] entradas
       *[leave] salidas
    }: { $count ->
        [one] una vez
       *[other] { $count } veces
    }, la última { $last }
data_kind_ask = Mensajes a la administración
data_ask_thread = una conversación con la administración, abierta el { $opened }{ $closed ->
        [no] {""}
       *[other] , cerrada el { $closed }
    }
data_ask_messages = { $count ->
        [one] el id y la hora de { $count } mensaje transmitido (nunca su contenido)
       *[other] los ids y las horas de { $count } mensajes transmitidos (nunca su contenido)
    }
data_ask_blocked = sin acceso a /ask desde { $since }
data_kind_flows = Pasos en curso
data_flow_draft = un borrador de anuncio que todavía no confirmaste (su texto y opciones)
data_flow_question = una pregunta que el bot te hizo y cuya respuesta espera
data_flow_step = el paso en que estás en /{ $command }, actualizado { $when }

## Idiomas (/language)
language_ask = Ahora te escribo en <b>{ $language }</b>. ¿Qué idioma prefieres?
language_set = Hecho: desde ahora te escribo en { $language }.
language_auto = Hecho: seguiré el idioma de tu Telegram (ahora { $language }).
button_language_auto = 🔄 Como mi Telegram

## Cómo se escriben fechas y horas (patrones CLDR que lee Babel; no son frases)
format_day = EEEE, d 'de' MMMM
format_moment = EEEE, d 'de' MMMM, HH:mm
