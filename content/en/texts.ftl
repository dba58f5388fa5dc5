# Everything FibroBot says that is not an FAQ answer, in English (the source language).
#
# This is a Fluent file (https://projectfluent.org/fluent/guide/). How to edit:
# - Change the words after "key =" freely. Keep the key (before the "=") as it is.
# - A text over several lines: start it on the next line, every line indented by four
#   spaces. Line breaks and blank lines inside it show as they are in Telegram.
# - { $first_name } and the like are filled in by the bot. You may move or remove them but
#   not invent new ones: `fibrobot content check` tells you which ones each text may use.
# - Counts take the language's plural forms:
#     { $days ->
#         [one] one day
#        *[other] { $days } days
#     }
# - Formatting: <b>bold</b>, <i>italic</i> and <a href="https://...">links</a> work.
#   Write &lt; and &amp; for a plain < or &. Write {"{"} for a plain {.
# - format_day and format_moment are date patterns (CLDR, read by Babel):
#   EEEE is the weekday, d the day, MMMM the month, HH:mm the time; words go in 'quotes'.
# - Other languages (content/es, content/pt...) have the same keys and the same { $fields }.
# - Run `fibrobot content check` after editing; the bot also refuses to start with a
#   broken file and tells you the file, the entry and the problem.

welcome =
    Hello { $first_name }, and welcome 💜

    I'm { $bot_name }, the community's helper. I can answer common questions about fibromyalgia and stem-cell therapy, drawn from our blog, and point you to the community's links.

    Tap a button below, or type /faq followed by your question, like <code>/faq cost</code>.
help =
    <b>What I can do</b>

    { $commands }

    Tip: in the group, add your question after /faq, like <code>/faq is it safe</code>.
disclaimer = ℹ️ General information, not medical advice. Please talk with your doctor before making any decision about treatment.
faq_menu = <b>Questions members often ask</b> (page { $page } of { $pages }). Tap one to read the answer.
faq_no_match = I'm sorry, I couldn't find an answer for “{ $query }”. Here are the topics I know about:
faq_did_you_mean = I found more than one topic that could fit “{ $query }”. Which one did you mean?
faq_free_text_hint = Hello 💜 I'm a small helper bot. I can answer questions about fibromyalgia and stem-cell therapy: ask me in your own words, or type /faq to see the topics and /help for everything I can do.
faq_no_answer_private = I don't have an answer to that in what I know. I can't advise on your own medicines, doses or treatment: your doctor or pharmacist can. Type /faq to see the topics I know about.
faq_unknown_topic = That topic isn't in the FAQ any more. Here are the topics I know about:
faq_read_more_private = The full answer is longer; tap below to read it in a private chat with me.
crisis = I'm so sorry you're going through this. You matter, and you don't have to face it alone. I'm only a bot and can't help in a crisis, but people can, right now:
links_intro = <b>Our community</b>
unknown_command = I don't know the command { $command }, sorry. Type /help to see what I can do.
error_apology = Sorry, something went wrong on my side. Please try again in a little while.
error_admin_note = ⚠️ FibroBot hit an error ({ $error }) while handling update { $update_id }. Details are in the bot's log.
admin_only = Sorry, only the community's admins can do that.
button_back = ⬅️ Back to topics
button_menu = 📚 All topics
button_related = ↪️ { $title }
button_faq = 📚 Questions & answers
button_links = 🔗 Community links
button_next = Next ➡️
button_prev = ⬅️ Previous
button_read_more = 📖 Read the full answer in private
button_emergency = 🆘 Find a helpline

## Announcements (admins only)
when_forms = You can write: <code>now</code>, <code>2026-12-01 18:00</code>, <code>tomorrow 9:00</code>, <code>in 2 hours</code>, <code>every day 9:00</code>, <code>every monday 18:00</code>, <code>first day of the month 10:00</code>, or a cron line such as <code>0 9 * * mon</code>. Also <code>in 1h30m</code>, <code>every other friday 19:00</code> and <code>every 2 weeks on monday 18:00</code>.
when_unknown = I couldn't read that as a time.
when_no_time = Please add a time of day, like <code>{ $example }</code>.
when_no_day = On which day? For example <code>today { $time }</code>, <code>tomorrow { $time }</code> or <code>every day { $time }</code>.
when_bare_hour = Please write the time with its minutes, like <code>{ $hour }:00</code>, or with am or pm, so I don't guess between morning and evening.
when_past = I read that as { $when }, which has already passed (times are in { $zone }).
when_day_unknown = I don't know the day “{ $word }”. Please write monday to sunday, or mon, tue, wed, thu, fri, sat, sun.
when_span_unit = Please add a unit of time, like <code>in { $number } minutes</code> or <code>in { $number } hours</code> (days and weeks work too).
when_span_and_time = Please give either a time from now, like <code>in { $span }</code>, or a day and a time, like <code>tomorrow 10:00</code>, not both.
when_span_long = That is far ahead. Please give the date instead, like <code>1 June 18:00</code>.
when_biweekly = “Biweekly” can mean twice a week or every two weeks. Please write <code>every 2 weeks on monday 18:00</code> or <code>every monday and thursday 18:00</code>.
when_step_no_day = On which day of the week? For example <code>every { $step } weeks on monday 18:00</code>.
when_step_unit = Repeats go by days or weeks, at a time of day: <code>every 2 days 9:00</code>, <code>every 2 weeks on monday 18:00</code>, or for a monthly post <code>first day of the month 10:00</code>.
when_step_range = Please choose a repeat from every week to every 52 weeks.
when_start_unknown = I couldn't read “{ $start }” as a start date. Please write it like <code>from 4 december</code> or <code>from friday</code>.
when_ambiguous = That date could be read two ways (day/month or month/day). Please write it like <code>2026-12-01 18:00</code> or <code>1 December 18:00</code>.
when_bad_cron = That cron line isn't valid, or it never happens. It has five parts: minute, hour, day, month and weekday, like <code>0 9 * * mon</code>.
when_too_often = That would post more than once an hour. Please choose a calmer repeat.
when_now = now
when_repeat = { $phrase } (next: { $next })
announce_ask_text = 📣 <b>New announcement</b> for the community group. Send me its text: bold, italics and links are kept. A photo, a document or a video with a caption works too.
announce_group_reply = Please reply to this message, so that I can see yours.
announce_no_community = I don't know the community group yet. Add me to the group and send /setup there, then try again.
announce_not_text = Please send the announcement as a text message, or a photo, a document or a video with a caption.
announce_media_gone = ⚠️ I couldn't post announcement #{ $id }: Telegram no longer has its picture or file. Send /edit { $id } to give it a new one.
edit_usage = Send /edit followed by the post's number, like <code>/edit 12</code>. /scheduled lists them.
edit_ask = What should change in #{ $id }?
button_edit_content = ✏️ Text or picture
button_edit_time = 🕒 Time
edit_ask_content = Send the new text, or a new photo, document or video with its caption. A new text alone keeps the current picture or file.
edit_ask_time = When should it go out instead?
edit_done = ✅ #{ $id } changed (👆 this is how it will look). Next: { $next }.
edit_cancelled = OK, nothing was changed.
announce_too_long = That's { $length } characters; Telegram allows 4096. Please shorten it a little.
announce_preview = 👆 This is how it will look. When should I post it?
announce_ask_pin = When: { $when }. Should I pin it in the group (quietly, without a notification)?
announce_ask_topic = The group has topics. Which one should it go to? Send the topic's number or a link to it, or tap No topic.
announce_bad_topic = Please send a topic number like <code>12</code>, or a link to the topic.
announce_confirm =
    <b>Ready?</b>
    When: { $when }
    Pinned: { $pin }
    Topic: { $topic }
announce_posted = ✅ Posted in the group (#{ $id }).
announce_scheduled = ✅ Scheduled as #{ $id }. Next: { $next }. /scheduled lists everything.
announce_cancelled_draft = OK, I dropped it. Nothing was scheduled.
announce_timeout = I dropped the announcement draft after 15 quiet minutes. Send /announce whenever you want to start again.
announce_stale_button = This draft has ended. Send /announce to start a new one.
announce_missed = ⚠️ Announcement #{ $id } was due at { $due }, but I was offline for longer than { $grace ->
        [one] a minute
       *[other] { $grace } minutes
    }, so I did not post it late. Line it up again with /announce if it still helps.
announce_failed = ⚠️ I couldn't post announcement #{ $id }. Telegram said: { $error }
announce_pin_failed = I posted #{ $id } but couldn't pin it. To pin, make me an admin of the group with the right to pin messages.
button_now = ⚡ Now
button_cancel = ✖️ Cancel
button_pin = 📌 Pin it
button_no_pin = Don't pin
button_no_topic = No topic
button_confirm = ✅ Confirm
pin_yes = yes, quietly
pin_no = no
topic_none = none
scheduled_header = <b>Scheduled posts</b> (times in { $zone })
scheduled_line =
    <b>#{ $id }</b> · { $when } · next { $next }{ $flags }
    <i>{ $preview }</i>
scheduled_post_line = <b>{ $id }</b> · { $title } · { $when } · next { $next }{ $flags }
scheduled_empty = Nothing is scheduled. Send /announce to line up a post.
scheduled_footer = Manage them with /pause ID, /resume ID or /cancel ID.
flag_paused = ⏸ paused
flag_pinned = 📌
manage_usage = Please add the id from /scheduled, like <code>/{ $command } 12</code>.
manage_unknown = I can't find { $id } among the scheduled posts. /scheduled lists them.
manage_done = #{ $id } has already been posted, missed or cancelled; nothing to change.
cancelled = 🗑 #{ $id } is cancelled; it won't be posted.
cancel_content_post = “{ $id }” comes from posts.yaml, so it can't be cancelled here. You can /pause it, or remove it from the file.
paused = ⏸ Post { $id } is paused. /resume { $id } brings it back.
resumed = ▶️ Post { $id } is back on. Next: { $next }.
already_paused = Post { $id } is already paused.
not_paused = Post { $id } isn't paused.
resume_past = #{ $id }'s time passed while it was paused, so I can't resume it. Line it up again with /announce.
setup_done = ✅ This group is now the community group. Scheduled posts moved here: { $moved }.
setup_private = Please send /setup in the community group itself.
setup_already = This group is already the community group. All set.

## The group's rules: shown to newcomers in the group and with /start in private.
rules =
    <b>Our group rules</b>
    1. Be kind and patient: everyone here knows what a hard day feels like.
    2. Share experiences, not medical advice. Decisions about treatment belong with your doctor.
    3. Keep what members share inside the group. No screenshots of others without asking.
    4. No selling, advertising or fundraising without an admin's agreement.
    5. If something worries you, write to an admin privately.

## The short welcome posted in the group when someone joins ({first_name} is theirs).
group_welcome = Welcome, { $names } 💜 We're glad you found us. Take your time: read along, and say hello whenever you feel like it.
welcome_names_two = { $first } and { $second }
welcome_names_three = { $first }, { $second } and { $third }
welcome_names_more = { $first }, { $second } and { $others } others
welcome_on = 👋 Welcomes are on: newcomers get a short hello with the rules. /welcome off turns them off.
welcome_off = 🔕 Welcomes are off: newcomers join quietly. /welcome on turns them back on.
welcome_usage = Please write <code>/welcome on</code> or <code>/welcome off</code>.
button_subscribe = 🌱 Daily tips

## Blog updates posted to the group.
feed_article =
    📰 <b>{ $title }</b>

    { $summary }
button_read_blog = 📖 Read on the blog
feed_more = 📰 <b>More new on the blog</b> ({ $count }):
feed_digest = 📰 <b>New on the blog today</b> ({ $count }):

## For admins: /help shows these commands too; /stats and `fibrobot stats`.
admin_help =
    <b>For admins</b>

    { $commands }
stats_report =
    <b>Community statistics</b> ({ $date })

    👋 Joined: { $joined_7 } in 7 days, { $joined_30 } in 30 days
    🚪 Left: { $left_7 } in 7 days, { $left_30 } in 30 days
    🌱 Tip subscribers: { $subscribers }
    💡 Tips delivered: { $tips }
    📣 Announcements posted: { $announcements }

    <b>Most read FAQ topics (30 days)</b>
    { $top_faq }
stats_subscribers = { $count } ({ $change } in 30 days)
stats_pair = { $week } in 7 days, { $month } in 30 days
stats_faq_line = • { $title }: { $count }
stats_no_faq = none yet
stats_chart_title = The last 30 days
stats_chart_joined = Joined
stats_chart_left = Left
stats_chart_faq = FAQ answers read
stats_chart_caption = 📊 The last 30 days
# /doctor: the set-up check (`fibrobot doctor` prints the same lines).
doctor_private_only = 🩺 Please send /doctor to me in a private chat: the report is for admins.
doctor_header = 🩺 <b>Set-up check</b> (✓ fine, ✗ to look at)

## Daily tips (/subscribe, /tip, /settings, /unsubscribe)
tips_ask_time =
    🌱 <b>Daily tips</b>

    One short, kind idea for daily life with fibromyalgia, once a day, at the time you choose.

    At what time would you like it? Tap a time, or type one like <code>9:30</code>.
tips_ask_zone =
    Your tip will come at <b>{ $time }</b>. In which time zone?

    Tap one, or type your city (<code>Madrid</code>), a zone (<code>America/New_York</code>) or an offset (<code>UTC+2</code>).
tips_ask_new_time = At what time would you like your tip? Tap a time, or type one like <code>9:30</code>.
tips_ask_new_zone = Which time zone? Tap one, or type your city (<code>Madrid</code>), a zone (<code>America/New_York</code>) or an offset (<code>UTC+2</code>).
tips_pick_zone = { $place } has more than one time zone. Which one is yours?
tips_bad_time = Sorry, I couldn't read “{ $text }” as a time. Tap a time below, or type one like <code>9:30</code> or <code>18:00</code>.
tips_bad_zone = Sorry, I don't know the time zone “{ $text }”. Try your nearest big city (<code>Madrid</code>), a zone (<code>America/New_York</code>) or an offset (<code>UTC+2</code>), or tap one below.
tips_use_buttons = Please tap one of the buttons below.
tips_subscribed =
    ✅ You're subscribed. Your first tip comes { $when }.

    To change the time, pause during a flare-up or stop, send /settings.
tips_already = You already get a daily tip at { $time } ({ $zone }). The next one comes { $when }.
tips_settings =
    <b>Your daily tip</b>
    Time: { $time } ({ $zone })
    { $status }
tips_status_active = Next tip: { $when }.
tips_status_paused = Paused until { $until }; tips start again by themselves.
tips_not_subscribed = You don't get daily tips at the moment. Send /subscribe to start.
tips_changed = Done. Your next tip comes { $when }.
tips_ask_pause = Rest is allowed 💜 For how long shall I pause your tips? They start again by themselves.
tips_paused = Your tips are paused until { $until }. They start again by themselves, or send /settings to resume sooner. Take good care of yourself 💜
tips_resumed = Welcome back 💜 Your next tip comes { $when }.
tips_ask_unsubscribe = Stop your daily tips?
tips_unsubscribed = Your daily tips have stopped. Thank you for having them with you; you're always welcome back with /subscribe 💜
tips_kept = Good, your tips continue. The next one comes { $when }.
tips_private_only = Let's do this in our private chat, so it stays between us. Tap below.
tips_in_private = Daily tips come in a private chat with me. Tap below to choose your time.
tips_today =
    🌱 <b>Today's tip</b>

    { $tip }
tips_none = There are no tips yet. Please ask an admin to add some.
tips_when_today = today at { $time }
tips_when_tomorrow = tomorrow at { $time }
tips_when_date = on { $date } at { $time }
button_open_private = 💬 Open a private chat
button_tip_subscribe = 🌱 A tip every day
button_tip_faq = 📖 { $title }
button_time = { $time }
button_default_time = ✨ { $time }, community time ({ $zone })
button_zone = { $zone }
button_community_zone = 🏠 { $zone } (community time)
button_tips_settings = ⚙️ Settings
button_change_time = 🕒 Change time
button_change_zone = 🌍 Change time zone
button_pause = ⏸ Flare-up pause
button_pause_days = { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
button_resume = ▶️ Resume
button_unsubscribe = 🚫 Unsubscribe
button_confirm_unsubscribe = Yes, stop my tips
button_keep = No, keep them

## Your data (/mydata, /forget)
privacy_mydata =
    <b>What I store about you</b>

    { $data }

    Nothing else: no names, no messages. To erase it all, send /forget.
privacy_nothing = I don't store anything about you.
privacy_ask_forget = This erases everything I store about you ({ $kinds }), including your id in the subscription log. It can't be undone. Erase it?
privacy_forgotten = Done: everything I stored about you is erased. If you write to me again, I'll only note your id and the time, as I do for everyone.
privacy_kept = Nothing was erased.
button_forget = Yes, erase everything
button_keep_data = No, keep it
button_open_in_bot = 💬 Open in the bot
inline_no_match_title = No matching answer
inline_no_match_description = Tap to share a link to the bot, where all the topics are.
inline_no_match_text = I couldn't find an answer for “{ $query }”. All the topics, and a way to ask the admins privately, are in the bot: @{ $bot }
inline_crisis_title = 🆘 If you are in crisis, help is here
button_ask = ✉️ Ask the admins
ask_prompt = ✉️ Write your message for the admins: text, a photo or a voice message. Only the admins see it, and they answer here, in this chat. Send /done when you have finished.
ask_sent = ✅ Your message reached the admins. They'll answer here. You can keep writing, or send /done.
ask_done = Thank you 💜 The admins can still answer you here. /ask to write to them again.
ask_in_private = To write to the admins privately, tap below: only they will see your message.
ask_unavailable = I'm sorry, writing to the admins isn't set up yet. /faq and /links are here for you in the meantime.
ask_limit = You've sent { $limit } messages to the admins in the last hour, the most I can pass on. They have them and will answer; you can write again a little later. 💜
ask_blocked = The admins can't receive messages from you through me at the moment. /faq and /links are still here for you.
ask_not_supported = I can pass on text, photos and voice messages to the admins.
ask_failed = I'm sorry, I couldn't pass your message on just now. Please try again in a little while.
ask_media_hint = I can't read photos or voice messages myself, but the admins can: tap below, then send it again.
ask_admin_header =
    💬 <b>{ $name }</b> · #{ $short_id } wrote to the admins.
    Reply to this message or to any of theirs to answer; your name isn't shown unless you /sign. In a reply: /close, /block, /unblock.
ask_admin_topic_intro =
    💬 <b>{ $name }</b> · #{ $short_id } wrote to the admins.
    Write in this topic to answer; your name isn't shown unless you /sign. Here: /close, /block, /unblock.
ask_admin_crisis = ⚠️ <b>Crisis words</b> in the next message. The member was shown the emergency text and helplines first.
ask_admin_undelivered = ⚠️ Not delivered: the member has blocked the bot or deleted the chat.
ask_admin_not_copied = ⚠️ Not delivered. Telegram said: { $error }
ask_admin_unknown_reply = I can't tell which member this answers. Reply to one of their messages, or write in their topic.
ask_admin_which = Use this in a member's topic, or as a reply to one of their messages.
ask_admin_closed = Conversation closed. If they write again, it opens again.
ask_admin_blocked = Blocked: their messages no longer reach you. /unblock undoes it.
ask_admin_already_blocked = They are already blocked.
ask_admin_unblocked = Unblocked: their messages reach you again.
ask_admin_not_blocked = They weren't blocked.
ask_admin_forgotten = The member asked me to erase their data; this conversation is closed.
ask_admin_sign_on = Your answers now end with your first name. /sign again to stop.
ask_admin_sign_off = Your answers no longer show your name.
ask_signature = — { $name }, admin
ask_member_closed = The admins closed this conversation. You can write to them again anytime with /ask.
privacy_language = Language: { $language } (your choice)
data_kind_member = Member
data_kind_tips = Daily tips
data_kind_events = Group joins and leaves
data_member_id = Telegram id { $id }
data_first_seen = first seen { $when }
data_last_seen = last seen { $when }
data_tips_status = status { $status ->
        [active] active
        [paused] paused
       *[ended] ended
    }, at { $time } in { $zone }
data_tips_paused = paused until { $until }
data_tips_next = next tip due { $when }
data_tips_since = subscribed since { $date }
data_tips_language = tips in: { $language }
data_tips_records = { $count ->
        [one] { $count } daily tip record: date, tip id, status
       *[other] { $count } daily tip records: date, tip id, status
    }
data_tips_log = { $count ->
        [one] { $count } change in the subscription log: kind, time, command
       *[other] { $count } changes in the subscription log: kind, time, command
    }
data_events = { $kind ->
        [join] joined
       *[leave] left
    }: { $count ->
        [one] once
       *[other] { $count } times
    }, last { $last }
data_kind_ask = Messages to the admins
data_ask_thread = a conversation with the admins, opened { $opened }{ $closed ->
        [no] {""}
       *[other] , closed { $closed }
    }
data_ask_messages = { $count ->
        [one] the id and time of { $count } message passed on (never its content)
       *[other] the ids and times of { $count } messages passed on (never their content)
    }
data_ask_blocked = blocked from /ask since { $since }
data_kind_flows = Flows in progress
data_flow_draft = an announcement draft you have not confirmed yet (its text and choices)
data_flow_question = a question the bot asked you and is waiting for you to answer
data_flow_step = the step you are at in /{ $command }, updated { $when }

## Languages (/language)
language_ask = Your language here is <b>{ $language }</b>. Which language would you like me to use?
language_set = Done: from now on I'll write to you in { $language }.
language_auto = Done: I'll follow your Telegram's language (now { $language }).
button_language_auto = 🔄 As my Telegram

## How dates and times read (CLDR patterns, read by Babel: not sentences)
format_day = EEEE, MMMM d
format_moment = EEEE, MMMM d, HH:mm
