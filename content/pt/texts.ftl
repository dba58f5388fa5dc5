# Tudo o que o FibroBot diz que não é uma resposta das perguntas frequentes, em português (Brasil).
#
# Arquivo Fluent (https://projectfluent.org/fluent/guide/). Tem as mesmas chaves e os mesmos
# { $campos } que content/en/texts.ftl, o original em inglês; mude só as palavras.
# `fibrobot content check` compara este arquivo com o inglês e aponta o que falta ou sobra.

welcome =
    Olá { $first_name }, seja bem-vindo(a) 💜

    Sou o { $bot_name }, o assistente da comunidade. Posso responder perguntas frequentes sobre fibromialgia e terapia com células-tronco, com base no nosso blog, e mostrar os links da comunidade.

    Toque em um botão, ou digite /faq seguido da sua pergunta, por exemplo <code>/faq custo</code>.
help =
    <b>O que eu posso fazer</b>

    { $commands }

    Dica: no grupo, escreva sua pergunta depois de /faq, por exemplo <code>/faq é seguro</code>.
disclaimer = ℹ️ Informação geral, não é orientação médica. Converse com seu médico antes de tomar qualquer decisão sobre tratamento.
faq_menu = <b>Perguntas frequentes da comunidade</b> (página { $page } de { $pages }). Toque em uma para ler a resposta.
faq_no_match = Desculpe, não encontrei uma resposta para “{ $query }”. Estes são os temas que conheço:
faq_did_you_mean = Encontrei mais de um tema que pode combinar com “{ $query }”. Qual deles você procurava?
faq_free_text_hint = Olá 💜 Sou um pequeno bot de ajuda. Respondo perguntas sobre fibromialgia e terapia com células-tronco: pergunte com suas palavras, ou digite /faq para ver os temas e /help para ver tudo o que faço.
faq_no_answer_private = Não tenho uma resposta para isso no que sei. Não posso aconselhar sobre os seus remédios, doses ou tratamento: o seu médico ou farmacêutico pode. Use /faq para ver os temas que conheço.
faq_unknown_topic = Esse tema não está mais nas perguntas frequentes. Estes são os temas que conheço:
faq_read_more_private = A resposta completa é mais longa; toque abaixo para lê-la em um chat privado comigo.
crisis = Sinto muito que você esteja passando por isso. Você importa, e não precisa enfrentar isso sozinho(a). Sou só um bot e não posso ajudar em uma crise, mas há pessoas que podem, agora mesmo:
links_intro = <b>Nossa comunidade</b>
unknown_command = Não conheço o comando { $command }, desculpe. Digite /help para ver o que posso fazer.
error_apology = Desculpe, algo deu errado do meu lado. Tente de novo daqui a pouco.
error_admin_note = ⚠️ O FibroBot teve um erro ({ $error }) ao tratar a atualização { $update_id }. Os detalhes estão no registro do bot.
admin_only = Desculpe, só quem administra a comunidade pode fazer isso.
button_back = ⬅️ Voltar aos temas
button_menu = 📚 Todos os temas
button_related = ↪️ { $title }
button_faq = 📚 Perguntas e respostas
button_links = 🔗 Links da comunidade
button_next = Próxima ➡️
button_prev = ⬅️ Anterior
button_read_more = 📖 Ler a resposta completa no privado
button_emergency = 🆘 Encontrar uma linha de apoio

## Anúncios (só administração)
when_forms = Você pode escrever: <code>now</code>, <code>2026-12-01 18:00</code>, <code>tomorrow 9:00</code>, <code>in 2 hours</code>, <code>every day 9:00</code>, <code>every monday 18:00</code>, <code>first day of the month 10:00</code>, ou uma linha cron como <code>0 9 * * mon</code>. Também <code>in 1h30m</code>, <code>every other friday 19:00</code> e <code>every 2 weeks on monday 18:00</code>.
when_unknown = Não consegui ler isso como data e hora.
when_no_time = Acrescente uma hora do dia, por exemplo <code>{ $example }</code>.
when_no_day = Em que dia? Por exemplo <code>today { $time }</code>, <code>tomorrow { $time }</code> ou <code>every day { $time }</code>.
when_bare_hour = Escreva o horário com os minutos, como <code>{ $hour }:00</code>, ou com am ou pm, para eu não ter que adivinhar entre manhã e noite.
when_past = Entendi como { $when }, e esse horário já passou (os horários estão em { $zone }).
when_day_unknown = Não conheço o dia “{ $word }”. Escreva de monday a sunday, ou mon, tue, wed, thu, fri, sat, sun.
when_span_unit = Acrescente uma unidade de tempo, como <code>in { $number } minutes</code> ou <code>in { $number } hours</code> (dias e semanas também funcionam).
when_span_and_time = Informe um tempo a partir de agora, como <code>in { $span }</code>, ou um dia e um horário, como <code>tomorrow 10:00</code>, mas não os dois.
when_span_long = Isso está muito longe. Informe a data, como <code>1 June 18:00</code>.
when_biweekly = “Biweekly” pode querer dizer duas vezes por semana ou a cada duas semanas. Escreva <code>every 2 weeks on monday 18:00</code> ou <code>every monday and thursday 18:00</code>.
when_step_no_day = Em que dia da semana? Por exemplo <code>every { $step } weeks on monday 18:00</code>.
when_step_unit = As repetições vão por dias ou semanas, num horário do dia: <code>every 2 days 9:00</code>, <code>every 2 weeks on monday 18:00</code>, ou para uma publicação mensal <code>first day of the month 10:00</code>.
when_step_range = Escolha uma repetição entre toda semana e a cada 52 semanas.
when_start_unknown = Não consegui ler “{ $start }” como data de início. Escreva assim: <code>from 4 december</code> ou <code>from friday</code>.
when_ambiguous = Essa data pode ser lida de dois jeitos (dia/mês ou mês/dia). Escreva assim: <code>2026-12-01 18:00</code> ou <code>1 December 18:00</code>.
when_bad_cron = Essa linha cron não é válida, ou nunca acontece. Ela tem cinco partes: minuto, hora, dia, mês e dia da semana, por exemplo <code>0 9 * * mon</code>.
when_too_often = Isso publicaria mais de uma vez por hora. Escolha uma repetição mais tranquila.
when_now = agora
when_repeat = { $phrase } (próxima: { $next })
announce_ask_text = 📣 <b>Novo anúncio</b> para o grupo da comunidade. Envie o texto: negrito, itálico e links são mantidos. Uma foto, um documento ou um vídeo com legenda também servem.
announce_group_reply = Responda a esta mensagem, assim consigo ver a sua.
announce_no_community = Ainda não conheço o grupo da comunidade. Me adicione ao grupo e envie /setup lá; depois tente de novo.
announce_not_text = Envie o anúncio como mensagem de texto, ou como foto, documento ou vídeo com legenda.
announce_media_gone = ⚠️ Não consegui publicar o anúncio #{ $id }: o Telegram não tem mais a imagem ou o arquivo dele. Envie /edit { $id } para colocar um novo.
edit_usage = Envie /edit seguido do número da publicação, por exemplo <code>/edit 12</code>. /scheduled mostra todas.
edit_ask = O que deve mudar em #{ $id }?
button_edit_content = ✏️ Texto ou imagem
button_edit_time = 🕒 Horário
edit_ask_content = Envie o novo texto, ou uma nova foto, documento ou vídeo com legenda. Só um texto novo mantém a imagem ou o arquivo atual.
edit_ask_time = Quando deve sair agora?
edit_done = ✅ #{ $id } alterado (👆 vai ficar assim). Próxima vez: { $next }.
edit_cancelled = Certo, nada foi alterado.
announce_too_long = São { $length } caracteres; o Telegram permite 4096. Encurte um pouco.
announce_preview = 👆 Vai ficar assim. Quando devo publicar?
announce_ask_pin = Quando: { $when }. Devo fixar no grupo (em silêncio, sem notificação)?
announce_ask_topic = O grupo tem tópicos. Para qual vai? Envie o número do tópico ou um link para ele, ou toque em Sem tópico.
announce_bad_topic = Envie um número de tópico como <code>12</code>, ou um link para o tópico.
announce_confirm =
    <b>Pronto?</b>
    Quando: { $when }
    Fixado: { $pin }
    Tópico: { $topic }
announce_posted = ✅ Publicado no grupo (#{ $id }).
announce_scheduled = ✅ Agendado como #{ $id }. Próxima vez: { $next }. /scheduled mostra tudo.
announce_cancelled_draft = Certo, descartei. Nada foi agendado.
announce_timeout = Descartei o rascunho do anúncio depois de 15 minutos sem atividade. Envie /announce quando quiser começar de novo.
announce_stale_button = Este rascunho já terminou. Envie /announce para começar outro.
announce_missed = ⚠️ O anúncio #{ $id } era para { $due }, mas fiquei fora do ar por mais de { $grace ->
        [one] um minuto
       *[other] { $grace } minutos
    }, então não publiquei atrasado. Agende de novo com /announce se ainda fizer sentido.
announce_failed = ⚠️ Não consegui publicar o anúncio #{ $id }. O Telegram disse: { $error }
announce_pin_failed = Publiquei #{ $id } mas não consegui fixar. Para fixar, me torne administrador do grupo com permissão para fixar mensagens.
button_now = ⚡ Agora
button_cancel = ✖️ Cancelar
button_pin = 📌 Fixar
button_no_pin = Não fixar
button_no_topic = Sem tópico
button_confirm = ✅ Confirmar
pin_yes = sim, em silêncio
pin_no = não
topic_none = nenhum
scheduled_header = <b>Publicações agendadas</b> (horários em { $zone })
scheduled_line =
    <b>#{ $id }</b> · { $when } · próxima { $next }{ $flags }
    <i>{ $preview }</i>
scheduled_post_line = <b>{ $id }</b> · { $title } · { $when } · próxima { $next }{ $flags }
scheduled_empty = Nada agendado. Envie /announce para preparar uma publicação.
scheduled_footer = Gerencie com /pause ID, /resume ID ou /cancel ID.
flag_paused = ⏸ pausada
flag_pinned = 📌
manage_usage = Acrescente o id mostrado em /scheduled, por exemplo <code>/{ $command } 12</code>.
manage_unknown = Não encontro { $id } entre as publicações agendadas. /scheduled mostra todas.
manage_done = #{ $id } já foi publicado, perdido ou cancelado; não há nada para mudar.
cancelled = 🗑 #{ $id } foi cancelado; não será publicado.
cancel_content_post = “{ $id }” vem de posts.yaml, então não pode ser cancelado aqui. Você pode pausar com /pause, ou tirar do arquivo.
paused = ⏸ A publicação { $id } está pausada. /resume { $id } a traz de volta.
resumed = ▶️ A publicação { $id } voltou. Próxima: { $next }.
already_paused = A publicação { $id } já está pausada.
not_paused = A publicação { $id } não está pausada.
resume_past = O horário de #{ $id } passou enquanto estava pausado, então não consigo retomar. Agende de novo com /announce.
setup_done = ✅ Este grupo agora é o grupo da comunidade. Publicações agendadas transferidas para cá: { $moved }.
setup_private = Envie /setup no próprio grupo da comunidade.
setup_already = Este grupo já é o grupo da comunidade. Tudo certo.

## As regras do grupo: mostradas a quem chega ao grupo e com /start no privado.
rules =
    <b>Regras do grupo</b>
    1. Seja gentil e paciente: todo mundo aqui sabe como é um dia difícil.
    2. Compartilhe experiências, não orientações médicas. Decisões sobre tratamento são com o seu médico.
    3. O que se compartilha no grupo fica no grupo. Nada de prints de outras pessoas sem pedir.
    4. Nada de vendas, propaganda ou arrecadação de dinheiro sem o acordo da administração.
    5. Se algo preocupar você, escreva no privado para alguém da administração.

## A breve boas-vindas no grupo quando alguém entra.
group_welcome = Olá, { $names } 💜 Boas-vindas à comunidade: que alegria essa chegada. Aqui não tem pressa: dá para ler com calma e dizer olá quando der vontade.
welcome_names_two = { $first } e { $second }
welcome_names_three = { $first }, { $second } e { $third }
welcome_names_more = { $first }, { $second } e mais { $others } pessoas
welcome_on = 👋 As boas-vindas estão ligadas: quem chega recebe um olá curto com as regras. /welcome off desliga.
welcome_off = 🔕 As boas-vindas estão desligadas: quem chega entra em silêncio. /welcome on liga de novo.
welcome_usage = Escreva <code>/welcome on</code> ou <code>/welcome off</code>.
button_subscribe = 🌱 Dicas diárias

## Novidades do blog publicadas no grupo.
feed_article =
    📰 <b>{ $title }</b>

    { $summary }
button_read_blog = 📖 Ler no blog
feed_more = 📰 <b>Mais novidades no blog</b> ({ $count }):
feed_digest = 📰 <b>Hoje no blog</b> ({ $count }):

## Para a administração: /help mostra também estes comandos; /stats e `fibrobot stats`.
admin_help =
    <b>Para a administração</b>

    { $commands }
stats_report =
    <b>Estatísticas da comunidade</b> ({ $date })

    👋 Entradas: { $joined_7 } em 7 dias, { $joined_30 } em 30 dias
    🚪 Saídas: { $left_7 } em 7 dias, { $left_30 } em 30 dias
    🌱 Inscrições nas dicas: { $subscribers }
    💡 Dicas enviadas: { $tips }
    📣 Anúncios publicados: { $announcements }

    <b>Temas mais lidos (30 dias)</b>
    { $top_faq }
stats_subscribers = { $count } ({ $change } em 30 dias)
stats_pair = { $week } em 7 dias, { $month } em 30 dias
stats_faq_line = • { $title }: { $count }
stats_no_faq = nenhum ainda
stats_chart_title = Os últimos 30 dias
stats_chart_joined = Entradas
stats_chart_left = Saídas
stats_chart_faq = Respostas lidas
stats_chart_caption = 📊 Os últimos 30 dias
doctor_private_only = 🩺 Me envie /doctor num chat privado: o relatório é para a administração.
doctor_header = 🩺 <b>Verificação da configuração</b> (✓ tudo bem, ✗ para conferir)

## Dicas diárias (/subscribe, /tip, /settings, /unsubscribe)
tips_ask_time =
    🌱 <b>Dicas diárias</b>

    Uma ideia curta e gentil para o dia a dia com fibromialgia, uma vez por dia, no horário que você escolher.

    Em que horário você gostaria de receber? Toque em um horário, ou digite um como <code>9:30</code>.
tips_ask_zone =
    Sua dica vai chegar às <b>{ $time }</b>. Em qual fuso horário?

    Toque em um, ou digite sua cidade (<code>Sao Paulo</code>), um fuso (<code>America/Sao_Paulo</code>) ou uma diferença (<code>UTC-3</code>).
tips_ask_new_time = Em que horário você quer sua dica? Toque em um horário, ou digite um como <code>9:30</code>.
tips_ask_new_zone = Qual fuso horário? Toque em um, ou digite sua cidade (<code>Sao Paulo</code>), um fuso (<code>America/Sao_Paulo</code>) ou uma diferença (<code>UTC-3</code>).
tips_pick_zone = { $place } tem mais de um fuso horário. Qual é o seu?
tips_bad_time = Desculpe, não consegui ler “{ $text }” como um horário. Toque em um horário abaixo, ou digite um como <code>9:30</code> ou <code>18:00</code>.
tips_bad_zone = Desculpe, não conheço o fuso horário “{ $text }”. Tente a cidade grande mais próxima (<code>Sao Paulo</code>), um fuso (<code>America/Sao_Paulo</code>) ou uma diferença (<code>UTC-3</code>), ou toque em um abaixo.
tips_use_buttons = Toque em um dos botões abaixo, por favor.
tips_subscribed =
    ✅ Inscrição feita. Sua primeira dica chega { $when }.

    Para mudar o horário, pausar durante uma crise de dor ou parar, envie /settings.
tips_already = Você já recebe uma dica diária às { $time } ({ $zone }). A próxima chega { $when }.
tips_settings =
    <b>Sua dica diária</b>
    Horário: { $time } ({ $zone })
    { $status }
tips_status_active = Próxima dica: { $when }.
tips_status_paused = Pausada até { $until }; as dicas voltam sozinhas.
tips_not_subscribed = No momento você não recebe dicas diárias. Envie /subscribe para começar.
tips_changed = Pronto. Sua próxima dica chega { $when }.
tips_ask_pause = Descansar é permitido 💜 Por quanto tempo devo pausar suas dicas? Elas voltam sozinhas.
tips_paused = Suas dicas estão pausadas até { $until }. Elas voltam sozinhas, ou envie /settings para retomar antes. Cuide-se com carinho 💜
tips_resumed = Que bom ter você de volta 💜 Sua próxima dica chega { $when }.
tips_ask_unsubscribe = Parar de receber as dicas diárias?
tips_unsubscribed = Suas dicas diárias pararam. Obrigado por tê-las com você; pode voltar quando quiser com /subscribe 💜
tips_kept = Certo, suas dicas continuam. A próxima chega { $when }.
tips_private_only = Vamos fazer isso no nosso chat privado, assim fica entre nós. Toque abaixo.
tips_in_private = As dicas diárias chegam em um chat privado comigo. Toque abaixo para escolher seu horário.
tips_today =
    🌱 <b>A dica de hoje</b>

    { $tip }
tips_none = Ainda não há dicas. Peça à administração para acrescentar algumas.
tips_when_today = hoje às { $time }
tips_when_tomorrow = amanhã às { $time }
tips_when_date = { $date }, às { $time }
button_open_private = 💬 Abrir um chat privado
button_tip_subscribe = 🌱 Uma dica por dia
button_tip_faq = 📖 { $title }
button_time = { $time }
button_default_time = ✨ { $time }, horário da comunidade ({ $zone })
button_zone = { $zone }
button_community_zone = 🏠 { $zone } (horário da comunidade)
button_tips_settings = ⚙️ Ajustes
button_change_time = 🕒 Mudar o horário
button_change_zone = 🌍 Mudar o fuso horário
button_pause = ⏸ Pausa por crise
button_pause_days = { $days ->
        [one] { $days } dia
       *[other] { $days } dias
    }
button_resume = ▶️ Retomar
button_unsubscribe = 🚫 Cancelar inscrição
button_confirm_unsubscribe = Sim, parar minhas dicas
button_keep = Não, manter

## Seus dados (/mydata, /forget)
privacy_mydata =
    <b>O que guardo sobre você</b>

    { $data }

    Mais nada: nem nomes, nem mensagens. Para apagar tudo, envie /forget.
privacy_nothing = Não guardo nada sobre você.
privacy_ask_forget = Isto apaga tudo o que guardo sobre você ({ $kinds }), inclusive seu id no registro de inscrições. Não dá para desfazer. Apagar?
privacy_forgotten = Pronto: tudo o que eu guardava sobre você foi apagado. Se você me escrever de novo, só vou anotar seu id e o horário, como faço com todo mundo.
privacy_kept = Nada foi apagado.
button_forget = Sim, apagar tudo
button_keep_data = Não, manter
button_open_in_bot = 💬 Abrir no bot
inline_no_match_title = Nenhuma resposta encontrada
inline_no_match_description = Toque para compartilhar um link para o bot, onde estão todos os temas.
inline_no_match_text = Não encontrei uma resposta para “{ $query }”. Todos os temas, e um jeito de escrever em particular para a administração, estão no bot: @{ $bot }
inline_crisis_title = 🆘 Se você está em crise, aqui tem ajuda
button_ask = ✉️ Escrever para a administração
ask_prompt = ✉️ Escreva sua mensagem para a administração: texto, uma foto ou uma mensagem de voz. Só a administração vê, e responde aqui, neste chat. Envie /done quando terminar.
ask_sent = ✅ Sua mensagem chegou à administração. Eles vão responder aqui. Você pode continuar escrevendo, ou enviar /done.
ask_done = Obrigado 💜 A administração ainda pode responder você aqui. /ask para escrever de novo.
ask_in_private = Para escrever em particular para a administração, toque abaixo: só eles vão ver sua mensagem.
ask_unavailable = Desculpe, escrever para a administração ainda não está configurado. Enquanto isso, /faq e /links estão aqui para você.
ask_limit = Você enviou { $limit } mensagens para a administração na última hora, o máximo que consigo repassar. Eles já receberam e vão responder; você pode escrever de novo um pouco mais tarde. 💜
ask_blocked = No momento a administração não pode receber suas mensagens por mim. /faq e /links continuam aqui para você.
ask_not_supported = Consigo repassar para a administração texto, fotos e mensagens de voz.
ask_failed = Desculpe, não consegui repassar sua mensagem agora. Tente de novo daqui a pouco.
ask_media_hint = Eu não consigo ler fotos nem mensagens de voz, mas a administração consegue: toque abaixo e envie de novo.
ask_admin_header =
    💬 <b>{ $name }</b> · #{ $short_id } escreveu para a administração.
    Responda a esta mensagem ou a qualquer uma das dele para responder; seu nome não aparece a não ser que você use /sign. Numa resposta: /close, /block, /unblock.
ask_admin_topic_intro =
    💬 <b>{ $name }</b> · #{ $short_id } escreveu para a administração.
    Escreva neste tópico para responder; seu nome não aparece a não ser que você use /sign. Aqui: /close, /block, /unblock.
ask_admin_crisis = ⚠️ <b>Palavras de crise</b> na próxima mensagem. A pessoa viu primeiro o texto de emergência e as linhas de apoio.
ask_admin_undelivered = ⚠️ Não entregue: a pessoa bloqueou o bot ou apagou o chat.
ask_admin_not_copied = ⚠️ Não entregue. O Telegram disse: { $error }
ask_admin_unknown_reply = Não sei a qual membro isto responde. Responda a uma das mensagens dele, ou escreva no tópico dele.
ask_admin_which = Use isto no tópico de um membro, ou como resposta a uma das mensagens dele.
ask_admin_closed = Conversa encerrada. Se a pessoa escrever de novo, ela reabre.
ask_admin_blocked = Bloqueado: as mensagens dessa pessoa não chegam mais a você. /unblock desfaz.
ask_admin_already_blocked = Já estava bloqueado.
ask_admin_unblocked = Desbloqueado: as mensagens dessa pessoa voltam a chegar a você.
ask_admin_not_blocked = Não estava bloqueado.
ask_admin_forgotten = O membro pediu para apagar os dados dele; esta conversa está encerrada.
ask_admin_sign_on = Suas respostas agora terminam com o seu primeiro nome. /sign de novo para parar.
ask_admin_sign_off = Suas respostas não mostram mais o seu nome.
ask_signature = — { $name }, administração
ask_member_closed = A administração encerrou esta conversa. Você pode escrever de novo quando quiser com /ask.
privacy_language = Idioma: { $language } (escolhido por você)
data_kind_member = Membro
data_kind_tips = Dicas diárias
data_kind_events = Entradas e saídas do grupo
data_member_id = id do Telegram { $id }
data_first_seen = visto pela primeira vez: { $when }
data_last_seen = visto pela última vez: { $when }
data_tips_status = situação: { $status ->
        [active] ativa
        [paused] pausada
       *[ended] encerrada
    }, às { $time } em { $zone }
data_tips_paused = pausada até { $until }
data_tips_next = próxima dica: { $when }
data_tips_since = inscrição desde { $date }
data_tips_language = dicas em: { $language }
data_tips_records = { $count ->
        [one] { $count } registro de dica diária: data, id da dica, situação
       *[other] { $count } registros de dicas diárias: data, id da dica, situação
    }
data_tips_log = { $count ->
        [one] { $count } mudança no registro de inscrições: tipo, horário, comando
       *[other] { $count } mudanças no registro de inscrições: tipo, horário, comando
    }
data_events = { $kind ->
        [join] entradas
       *[leave] saídas
    }: { $count ->
        [one] uma vez
       *[other] { $count } vezes
    }, a última em { $last }
data_kind_ask = Mensagens para a administração
data_ask_thread = uma conversa com a administração, aberta em { $opened }{ $closed ->
        [no] {""}
       *[other] , encerrada em { $closed }
    }
data_ask_messages = { $count ->
        [one] o id e o horário de { $count } mensagem repassada (nunca o conteúdo)
       *[other] os ids e os horários de { $count } mensagens repassadas (nunca o conteúdo)
    }
data_ask_blocked = bloqueado(a) no /ask desde { $since }
data_kind_flows = Etapas em andamento
data_flow_draft = um rascunho de anúncio que você ainda não confirmou (texto e escolhas)
data_flow_question = uma pergunta que o bot fez e cuja resposta ele aguarda
data_flow_step = a etapa em que você está em /{ $command }, atualizada { $when }

## Idiomas (/language)
language_ask = Agora escrevo para você em <b>{ $language }</b>. Qual idioma você prefere?
language_set = Pronto: a partir de agora escrevo para você em { $language }.
language_auto = Pronto: vou seguir o idioma do seu Telegram (agora { $language }).
button_language_auto = 🔄 Como no meu Telegram

## Como datas e horários são escritos (padrões CLDR lidos pelo Babel; não são frases)
format_day = EEEE, d 'de' MMMM
format_moment = EEEE, d 'de' MMMM, HH:mm
