"""Neutral and ordinary good-practice sentences (no concern label).

GENERAL[category] and THEMES[theme][category] are blocks of lines, one sentence per
line.  A line may start with flags then ' | ' (%sch %teen %young %baby %notbaby as in
risk.py).  These sentences must never show a gap on their own: no unanalysed new risk,
no delay, no missing oversight, no staffing trouble.
"""

GENERAL = {
"obs": r"""
{mum} answered the door promptly and was welcoming.
{c} was dressed appropriately for the weather and looked clean.
{mum} was calm and open during the visit and answered all my questions.
{c} was playing with [Lego|a toy garage|a colouring book] on the living room floor when I arrived.
The television was off during the visit and {mum} gave the conversation her full attention.
#!lac/kinship | {mum} had the letters from the housing office ready to show me.
{c} came to greet me at the door and seemed comfortable with me being there.
{mum} spoke warmly about {c} and described {him} as "cheeky but kind".
%young | {c} went to {mum} for a cuddle when {he} bumped {his} knee, and {mum} comforted {him} straight away.
{mum} was dressed and the curtains were open when I arrived mid-morning.
%notbaby | {c} and {sib} were playing together in the garden; {sib} was taking turns nicely.
{mum} spoke about the family's plans for the summer holidays.
#!lac/kinship | {mum} said money is tight this month but the electric and gas meters are topped up.
{mum} showed me the calendar on the fridge with all the children's appointments.
%notbaby | {c} ate a snack of fruit and crackers while I was there.
%notbaby %sch | {c} showed me {his} new school shoes and was proud of them.
{mum} said the new washing machine has made a big difference.
#!lac/kinship | {mum} talked about her own childhood and how she wants things to be different for {c}.
#!lac/kinship | {mum} was open about finding the evenings difficult and said MGM helps at bathtime.
%young | {mum} has put up a reward chart, and {c} has three stickers this week.
There were photographs of the children on the wall and {c}'s artwork on the fridge.
%pre | {mum} told me she has started going to the toddler group at the children's centre on Tuesdays.
{mum} said the family are looking forward to {c}'s birthday next month.
%notbaby | {c} wanted to show me {his} bedroom and the new duvet cover.
{mum} had remembered the date of the visit and had made sure {c} was home.
The family dog was friendly and kept in the kitchen during the visit.
#!lac/kinship | {mum} mentioned she has started a part-time course at college two mornings a week.
#!lac/kinship | {mum} said she had been to the food bank on Friday and showed me the cupboards.
{c} was relaxed and chatty throughout and laughed a lot.
{mum} asked good questions about what happens next and how long we will be involved.
""",
"home": r"""
The home was clean and tidy, with food in the fridge and cupboards.
The kitchen was clean, with a hot meal being prepared.
{c}'s bedroom had a made-up bed, clean bedding and plenty of toys.
The home was warm, and all rooms seen were in a reasonable state.
%u5 | The stair gate was fitted and the medicines were kept in a high cupboard.
#!lac/kinship | The flat was cluttered but hygienic, and there was a clear path through every room.
The smoke alarm was tested during the visit and works.
#!lac/kinship | The garden has been cleared and there is now a safe space for the children to play.
The bathroom was clean, and there were toothbrushes for each child.
Home conditions have been maintained since the last visit.
%sch | Laundry was on the go and the children's school uniforms were hanging up ready.
%baby | The Moses basket was set up in {mum}'s room with a firm mattress and no loose bedding.
%baby | Sterilised bottles and formula were ready in the kitchen.
The broken window reported last month has been repaired by the landlord.
There was enough food in the house for the week, and {mum} had done a supermarket shop that morning.
""",
"voice_baby": r"""
%baby | Baby {c} was awake and alert, making good eye contact with {mum} and smiling when she spoke to {him}.
%baby | {c} was seen in a clean sleepsuit; {mum} changed {his} nappy during the visit and the skin was clear.
%baby | {c} settled quickly when {mum} picked {him} up, and {mum} read {his} cues well.
%baby | {c} was asleep on {his} back in the cot when I arrived and woke for a feed, which {mum} gave calmly.
%baby | I saw {c} undressed with {mum}'s agreement and there were no marks or bruises.
%baby | {c} babbled and reached for {mum}'s face; they have a warm, responsive relationship.
%baby | {c} was sitting in the bouncer watching {sib} play and was content throughout.
%baby | {c} is now rolling over and trying to sit up, and {mum} was proud to show me.
%baby | {c} fed well from the bottle; {mum} held {him} close and talked to {him} throughout.
%baby | {c} has a new tooth and {mum} said {he} has been grizzly at night but is settling.
%baby | {c} crawled over to me and then back to {mum}, checking she was still there.
%baby | {c} was weighed by the HV during the joint visit and has moved up to the 25th centile.
""",
"voice_young": r"""
%young | {c} was seen alone in {his} bedroom and said {he} likes living with {mum} because "she makes pancakes on Sundays".
%young | I saw {c} on {his} own in the kitchen; {he} said home is "good" and the best thing is playing with {sib}.
%young | {c} drew {his} family for me and put {mum}, {sib} and the dog in the picture, saying "this is everyone who lives with me".
%young | Seen alone: {c} said {he} feels safe at home and would tell {his} teacher if something was wrong.
%young | {c} told me {his} favourite thing is going to the park with MGM and {his} worst thing is "doing spellings".
%young | When I asked {c} about bedtime, {he} said {mum} reads a story and leaves the landing light on.
%young | {c} spoke to me alone in the garden and said {he} misses {dad} and wants to see him more.
%young | {c} used the three houses tool with me; in the house of good things {he} drew {his} bike and {his} friend.
%young #!lac/kinship | {c} said "mummy is happier now" and that there is no more shouting at night.
%young | {c} was keen to talk about {his} football team and said {he} scored a goal on Saturday.
%young | I asked {c} what {he} would change at home and {he} said "a bigger bedroom, and a hamster".
%young | {c} told me {he} has breakfast at home every day and sometimes at breakfast club too.
%young | Seen alone in the living room: {c} said {he} likes {his} new teacher and sits next to {his} best friend.
%young | {c} said {he} feels "a bit worried" when {mum} is poorly but MGM comes round to help.
%young | {c} talked about {his} wishes for the summer: "go to the beach and have a sleepover at nan's".
%young | {c} was shy at first but then read me two pages of {his} reading book and said {he} wants to be a teacher.
%young | {c} said the best part of the week is swimming with {dad} on Saturdays.
%young | {c} told me {he} knows who to talk to at {school} if {he} feels sad.
%young | {c} used the feelings faces and chose "happy" for home and "okay" for school.
%young | Seen alone, {c} said {he} wants things to "stay like this", living with {mum} and {sib}.
""",
"voice_teen": r"""
%teen | {c} agreed to speak to me alone in {his} room and said things at home are "fine, better than before".
%teen | {c} told me {he} wants to go to college to do [mechanics|hair and beauty|music production] and has an open day next month.
%teen | I saw {c} alone on a walk to the shop; {he} said {he} gets on better with {mum} now they "don't argue as much".
%teen | {c} said {he} does not want a social worker any more but understands why we are involved.
%teen | {c} was initially reluctant to talk but opened up about {his} friends and said {his} part-time job at the cafe is "the best bit of the week".
%teen | {c} said {he} would like more say in when contact with {dad} happens.
%teen | Seen alone, {c} said {he} feels safe at home and knows {he} can ring me or the police if {he} needs to.
%teen | {c} told me the best thing recently has been getting into the school football team.
%teen | {c} said {he} finds {his} younger sibling "annoying but alright" and helps with the school run sometimes.
%teen | {c} spoke to me on {his} own and said {his} mental health is better since starting with the CAMHS worker.
%teen | {c} said {he} wants to be at home by 10pm at weekends and {mum} has agreed to 9.30pm.
%teen | {c} wrote down three things {he} wants from the plan: fewer meetings, help with revision and a bus pass.
%teen | {c} said "I just want a normal life" and wants the plan to end by the summer.
%teen | {c} talked about {his} GCSE options and wants to do art and computing.
%teen | {c} said {he} has stopped hanging around with the older group and goes to the youth club instead.
%teen | Seen alone in the car after the visit, {c} said {he} is happy with how things are at home.
%teen | {c} told me {he} would rather meet at a cafe than at home, so we agreed to do the next visit there.
%teen | {c} said {he} wants {his} views read out at the review but does not want to attend.
""",
"school": r"""
%sch | {dsl} reports {c}'s attendance is 96% this term and {he} is settled in class.
%sch | {c}'s teacher says {he} is making good progress with reading and is more confident in class.
%sch | {school} confirmed {c} arrives on time, in clean uniform, with a packed lunch.
%sch | {c} has been attending the lunchtime nurture group and staff say {he} enjoys it.
%sch | {dsl} said there have been no concerns this half term and {c} is mixing well with peers.
%sch | {c} has been moved up a reading group and staff are pleased with {his} effort.
%sch | {school} has put {c} forward for the after-school football club, which {mum} has agreed to.
%sch | The SENCo has completed an assessment and {c} will have extra phonics support three times a week.
%sch | {c}'s class teacher described {him} as kind and helpful, especially with younger children.
%sch %sch | {school} said {mum} attended parents' evening and engaged well with staff.
%sch | {c} received a certificate in assembly for effort in maths.
%sch | {c} is having weekly sessions with the learning mentor, which {he} says {he} likes.
%notbaby %pre | The nursery reports {c} settles quickly at drop-off and is developing well.
%notbaby %pre | {c} has a key person at nursery who says {he} is chatty and plays well with others.
%sch | The school nurse has seen {c} and has no concerns about {his} growth or hygiene.
""",
"health": r"""
{c}'s immunisations are up to date according to the GP.
%u5 | The HV confirmed {c} had {his} developmental review and is meeting {his} milestones.
{c} has been seen by the dentist and a follow-up has been booked.
{mum} took {c} to the GP with an ear infection last week and {he} is now on antibiotics.
{c}'s asthma is well controlled, and {mum} showed me the inhaler and spacer.
#!lac/kinship | {mum} has registered the family with a new GP since moving.
The optician appointment went ahead and {c} now has glasses.
#baby/substance | {mum} has attended all her antenatal appointments, according to the midwife.
#mental_health/dv/substance/neglect/baby | {mum} said she is sleeping better and has been going to the gym with a friend.
{c} has been referred to the community paediatrician for a routine review of {his} speech.
{c}'s weight and height are within the normal range at the last check.
#mental_health/dv/baby | {mum} has started the talking therapy and says she is finding it useful.
{c}'s eczema has improved with the new cream prescribed by the GP.
#mental_health/baby | {mum} has a GP appointment booked to review her medication.
{c} attended {his} hospital follow-up and the consultant was pleased with progress.
""",
"agency": r"""
%u5 | Spoke to the HV, who has visited twice since the last meeting and has no new concerns.
{dsl} confirmed they will send the attendance figures before the core group.
#!lac/kinship | Called the GP practice, who confirmed {mum} attended her review.
Email sent to {agency} with the updated plan and dates of the next meeting.
#dv/substance/physical/exploitation/neglect/mental_health | Police confirmed there have been no call-outs to the address since {month}.
#!lac/kinship | The housing officer confirmed the transfer application is active and in band B.
#!lac/kinship | The family centre confirmed {mum} has attended four of five sessions of the parenting group.
#substance | The midwife confirmed the birth plan has been shared with the hospital.
%sch | The CAMHS practitioner confirmed {c} has been offered six sessions starting next month.
#substance | The drug and alcohol worker confirmed {mum} is attending and testing as agreed.
#exploitation | The YOT worker said {c} is attending all appointments and has started the reparation work.
#!lac/kinship | Spoke to the early help coordinator, who will attend the next meeting.
%sch | The school nurse will see {c} next week to check {his} weight and will share the outcome.
#dv | The IDVA confirmed she is in regular contact with {mum} and the safety measures at the house are in place.
%u5 | Left a message for the health visitor asking for an update before the review.
Consent obtained from {mum} to speak to the GP and {school}.
The paediatrician's letter has been received and saved to the file.
#baby | The children's centre confirmed {mum} has booked onto the baby massage course.
#!lac/kinship | The benefits adviser has helped {mum} apply for the cost-of-living grant.
%young | The speech and language therapist has offered {c} an assessment appointment next month.
""",
"plan": r"""
Next visit booked for {next}.
The CIN plan was explained to {mum}, who has a copy.
#!lac/kinship | {mum} agreed to the actions and signed the written agreement.
%sch | I will visit again in two weeks and see {c} at {school} beforehand.
#!lac/kinship/disability | The next core group is booked for {next}.
{mum} knows how to contact the out-of-hours service if she needs help.
#!lac/kinship | The plan will be reviewed at the CIN meeting on {next}.
{mum} has my mobile number and the duty number.
#!lac/kinship | The FSW will continue to visit twice a week, focusing on routines.
Next review date set for {next}.
The next visit will be unannounced.
I will share the visit record with the core group.
%u5 | {mum} will bring {c}'s red book to the next appointment.
%sch | The plan is for me to see {c} at {school} next week to do some direct work.
I will send the updated plan to all agencies by the end of the week.
""",
"action": r"""
Actions: send minutes to all agencies; book the next CIN meeting; update the chronology.
I will ring {dsl} to share the outcome of the visit.
Letter to {mum} confirming the plan to be sent today.
#!lac/kinship | Referral to the family hub for the holiday activities programme.
Chronology updated.
Genogram updated with {mum}'s help during the visit.
I have updated the case summary following the visit.
Email to the HV asking her to join the next visit.
Book interpreter for the next visit.
#mental_health/disability/substance | Referral to the young carers service completed with {c}'s agreement.
{mum} to contact the housing officer by Friday; I will follow up on Monday.
I will complete the direct work booklet with {c} at the next visit.
Agency checks requested from police, health and education.
Copy of the plan to be given to {c} in child-friendly language.
%sch | Request made for {c}'s school attendance data for the last two terms.
I will arrange a joint visit with the FSW next week.
Transport arranged for {mum} to attend the meeting.
#!lac/kinship | Food bank voucher given to {mum}.
#!lac/kinship | Leaflet about the local parenting group left with {mum}.
%sch | Referral for a school uniform grant completed with {mum}.
The outcome of the visit will be shared with the core group by email.
#mental_health/substance/baby | I will check with the GP that {mum}'s review went ahead.
Christmas gift scheme referral completed.
%sch | Application for free school meals completed with {mum}.
I will write to {dad} to invite him to the next meeting.
""",
"fsw": r"""
Session focused on the bedtime routine; {mum} tried the visual timetable with {c} and said it helped.
We worked on meal planning together and {mum} wrote a shopping list for the week.
We practised the calm-down strategies from last week's session; {mum} used them when {c} had a tantrum.
{mum} and I went through the letters from the council and made a plan for the rent arrears.
Session on play: {mum} and {c} played a board game together, and {mum} praised {c} for taking turns.
Supported {mum} to attend {c}'s appointment at the hospital.
{mum} completed the home conditions checklist with me and picked the bathroom as her focus this week.
%sch | We looked at the school morning routine; {mum} will lay out the uniform the night before.
Accompanied {mum} to the Jobcentre appointment as she was anxious about going alone.
We talked about positive praise, and {mum} gave me examples of when she used it this week.
%young | Session with {c}: we made a worry monster and {c} wrote two worries to put inside.
Helped {mum} register with the dentist for the whole family.
{mum} showed me the new chore chart she made with {c}.
We worked through a budgeting sheet; {mum} has found an extra £20 a week by changing her phone contract.
Session on boundaries: we role-played saying no to {c} calmly.
%sch | Supported {mum} to phone the school about the parents' evening appointment.
We made a plan for the school holidays, including free activities at the library.
{mum} said the evening routine is now "mostly working" and {c} is asleep by 8.
%sch | Walked {c} to school with {mum} to help build the morning routine.
{mum} completed the second week of the cooking course at the children's centre.
""",
"reflect": r"""
We reflected on what life is like for {c} on an ordinary school day and where the gaps are.
We discussed how {concern} is affecting {c}, and the worker's view that {c} is carrying worry about {mum}.
We talked through the worker's hypothesis that {mum} disengages when she feels judged, and how to test this at the next visit.
We looked at the chronology together and noticed the pattern of incidents around the end of each month, when money runs out.
We considered {c}'s wishes and feelings and how they are reflected in the plan.
Reflective discussion about whether the current plan is proportionate, given the progress since the last review.
We discussed the impact on {c} of {concern} and whether {his} presentation at {school} fits with what we see at home.
#!lac/kinship | The worker shared her worry that {dad}'s role is not understood; we agreed he must be included in the assessment.
We reflected on the worker's feelings about the visits, as {mum} can be hostile, and how to keep the focus on {c}.
#!lac/kinship | We discussed the strengths in the family, including MGM's support, and how to build on them.
We thought about what a good outcome would look like for {c} in six months.
We used the risk matrix to think through the likelihood and impact of {concern} for {c}.
We reflected on the cultural context of the family and whether the plan takes it into account.
We discussed what {c} said at the last visit and what it tells us about {his} experience at home.
We considered whether the threshold for escalation is met and agreed it is not at present, because the protective factors are holding.
We explored why the last two actions were not completed and what support the family needs to complete them.
The worker's analysis of the risks was discussed and we agreed it is well evidenced.
We discussed the worker's wellbeing, as this case has been emotionally demanding.
We reflected on {sib}'s needs as well as {c}'s, as {sib} is sometimes overlooked.
We reflected on what the family have achieved and how to recognise this with them.
""",
"sup_actions": r"""
%sch | Actions: SW to see {c} alone at {school} by {next}; SW to invite {dad} to the CIN meeting; TM to attend the next core group.
Actions agreed: direct work with {c} using the three houses tool within two weeks, and an updated chronology before the review.
#dv | Actions: joint visit with the FSW within ten days; referral to the specialist DV service this week.
#!lac/kinship | Actions: complete the assessment by {next}; request police checks on {dad} today.
Next supervision booked for four weeks' time.
#!lac/kinship | Actions: SW to update the safety plan with {mum} this week; review at the next supervision.
%sch | Actions: speak to {dsl} about attendance; arrange a network meeting before the review.
#!lac/kinship | Actions: prepare the case summary for the legal planning meeting by {next}.
%sch | Actions: refer to CAMHS with {c}'s consent; share the outcome with {mum}.
#!lac/kinship | Actions: book the RCPC; update the plan with new dates; give {c} a copy of the plan in child-friendly language.
""",
"decision": r"""
#!lac/kinship | Having read the assessment and the visit records, I agree that the threshold for a CIN plan is met because of the impact of {concern} on {c}'s daily care.
#!lac/kinship | Decision: proceed to ICPC, as the s47 enquiries found that {c} is likely to suffer significant harm if the current pattern continues.
#!lac/kinship @late | I agree with the recommendation to step down to early help; {concern} has improved over four months and the family have the support of the family hub.
#!lac/kinship | Decision: the case remains open under CIN for a further three months, because progress is recent and not yet embedded.
@late | I have considered the request for closure and do not agree at this stage, because the plan's outcome on {concern} is not yet met.
#!lac/kinship | Decision to hold a legal planning meeting, because the concerns have continued despite a year of support under a CP plan.
#!lac/kinship @end | I agree with NFA after the s47: the medical found no injury, {c}'s account was consistent, and there are protective adults around {him}.
#dv/physical | Decision: {c} to remain at home with the safety plan in place, as {mum} has shown she can act protectively and {dad} has left the area.
I agree to the change in contact arrangements, because the last six supervised contacts were positive and {c} has asked for more time with {dad}.
Having reviewed the file, I agree that the assessment should be extended by ten days so that {dad} can be seen; the reason is recorded.
#!lac/kinship | Decision: threshold for s47 is not met, as the incident was a single verbal argument with no child present; CIN assessment to continue.
I agree with the plan to convene a strategy discussion today, given the new information from police.
#neglect | Decision: step up to a CP plan, as neglect has continued under CIN for six months without change.
#exploitation/lac | I have read the return home interview and agree with the referral to the exploitation panel, given the pattern of missing episodes.
#kinship @late | I agree that the case can close as {c} is now settled with {carer} and the SGO support plan is in place.
#baby/substance | Decision: a pre-birth assessment is needed because of {mum}'s history and the concerns about {concern}; it should be completed by 28 weeks' gestation.
#!lac/kinship | I agree with the recommendation for a Section 20 arrangement with {mum}'s informed consent, as MGM cannot care for {c} this week.
#!lac/kinship @late | Decision: CIN plan to end and the case to step down, because the outcomes have been met and {school} and the HV will continue to monitor.
""",
"mgr_actions": r"""
Actions: SW to send the outcome letter by Friday; TAF handover meeting within 10 working days.
#!lac/kinship | Actions: ICPC to be requested today; SW to share the s47 report with {mum} two days before the conference.
#!lac/kinship | Actions: SW to review the safety plan with {mum} this week; I will review progress in supervision on {next}.
Actions: chronology to be updated and the legal planning meeting booked within two weeks.
#!lac/kinship | Actions: CIN meeting within 10 working days; SW to invite {dad}.
#!lac/kinship | Actions: early help to be contacted today and the step-down form completed by {next}.
Actions: next management review on {next}.
Actions: SW to see {c} alone before the review and record {his} views.
Actions: the FSW referral to be sent this week; SW to update me at supervision.
Actions: closure summary to be completed within five days and shared with {mum} and {school}.
""",
"signoff": r"""
Closure authorised by the TM, who agreed that the plan's outcomes have been met and the family are linked to universal services.
The TM has reviewed the closure summary and agreed closure, noting the improvement in {concern} and the support now in place.
Closure agreed in supervision on {date}: the family have sustained the changes for three months and know how to seek help.
The TM signed off the closure after checking that {c}'s views were included and that {school} knows the plan.
#!lac/kinship | Step down to early help authorised by the TM; the early help worker attended the final visit.
#!lac/kinship | The TM has agreed NFA following the assessment because there is no evidence of harm and the family have accepted early help.
Closure agreed by the TM on {date}, with the rationale recorded on the closure form.
The TM reviewed the case and agreed that social care involvement is no longer needed, because {concern} has been resolved.
The TM has approved the step down and asked that the family hub review the family's progress in six weeks.
The decision to close was agreed with the TM after a review of the last three visits and the agency feedback.
#substance | The TM agreed closure, as {mum} has the support she needs from the drug and alcohol service and the HV.
Case closure agreed by the TM, who noted the reasons in her oversight entry.
""",
"strat_outcome": r"""
Outcome: threshold for s47 met because of {c}'s age, the nature of the injury and the lack of explanation; joint investigation with police, visit today.
Outcome: s47 enquiries to be undertaken by children's social care as a single agency; the police have no role as no offence is disclosed.
Outcome: threshold for s47 not met, because the information does not indicate significant harm; CIN assessment to continue with a visit within five days.
%sch | Outcome: s47 to proceed; {c} will be seen alone at {school} today and a CP medical is to be arranged.
The chair agreed that {c} is at risk of significant harm given the repeated incidents and {his} age; s47 enquiries to begin today.
#dv/physical/substance | Outcome: s47 enquiries, with an interim safety plan agreed: {c} to stay with MGM tonight and {dad} not to have contact until seen by police.
#exploitation/lac | The group agreed that the pattern of missing episodes indicates a high risk of exploitation; s47 and a referral to the exploitation panel.
Outcome: no further strategy action; the concerns are being addressed under the current CP plan, which will be reviewed at the core group this week.
Outcome: s47 enquiries are to be completed, and a further strategy discussion is to be held in five days to review the findings.
Outcome: joint s47 with police; ABE interview to be considered once {c} is seen.
#baby | Decision of the strategy discussion: s47 enquiries, and a CP medical today, as {c} is non-mobile and bruising is unexplained.
#physical/baby | Outcome: threshold met; the child protection medical is to be held this afternoon and police will speak to {dad}.
""",
"mash_decision": r"""
MASH decision by the duty TM: the threshold for a C&F assessment is met, given the impact of {concern} on {c}; passed to the assessment team, visit within five working days.
MASH TM decision: strategy discussion required today because of the nature of the allegation and {c}'s age.
Decision by the MASH manager: although this is a single incident and the parents appear protective, the threshold for a C&F assessment is met because {c} is young and there have been two earlier contacts.
The duty TM agreed that a C&F assessment is needed, because this is the third contact in six months and the pattern suggests unmet needs.
MASH TM decision: consent obtained from {mum}; the threshold for a C&F assessment is met because {concern} is affecting {c}'s health and schooling; allocated to the locality team.
RAG rated amber by the MASH TM, because there are several risk factors but no immediate safety concern; assessment to start within 24 hours.
#baby | The duty manager decided on a same-day visit because {c} is under one and the injury is unexplained.
#dv | MASH TM decision: DASH rated medium by police and {c} was present, so a C&F assessment is needed to understand the impact on {c}; IDVA referral offered to {mum}.
Referral screened with the MASH TM: consent obtained, and the threshold for a C&F assessment is met given {concern}; allocated for a visit within five working days.
The MASH TM agreed the referral meets the threshold for a strategy discussion, which has been convened for 2pm.
""",
"sd_actions": r"""
Actions: police to speak to {dad} today; SW to see {c} alone at {school} this afternoon.
Actions: CP medical to be arranged by health; SW and police to visit jointly today.
Actions: {school} to share {c}'s attendance and any previous concerns by midday tomorrow.
Actions: the HV to share her records of the last three contacts; SW to complete agency checks.
Actions: police to complete PNC checks on all adults in the household.
Actions: SW to agree an interim safety plan with {mum} today and update the chair by 5pm.
Actions: reconvene the strategy discussion in five working days to review the findings.
Actions: SW to inform {mum} of the outcome unless this would place {c} at risk.
""",
"analysis": r"""
#!lac/kinship | My analysis is that {concern} is having a real impact on {c}, mainly through disrupted routines, but the protective factors (MGM's support and {mum}'s engagement) are reducing the risk.
Taking everything together, the risk to {c} is currently assessed as medium; it would rise if {mum} stopped engaging with support.
The key strength is {mum}'s insight into how {concern} affects {c}; the key worry is whether she can sustain change without support.
%notbaby | {c}'s presentation at {school} supports what I saw today: {he} is well cared for, and the changes at home seem to be holding.
I judge that {c}'s needs are being met at present, though {concern} remains the area to watch.
The evidence from agencies and from my visit suggests steady improvement, so the current plan remains proportionate.
#dv/physical | The risk is reduced compared with the last visit because {dad} has moved out and {mum} has followed the safety plan.
For {c}, the impact of {concern} is mainly emotional: {he} worries about {mum}, which shows at school as tiredness.
I am reassured that {mum} responded appropriately when {c} was unwell, seeking medical advice quickly.
The protective factors outweigh the risks at present, and the plan addresses the remaining concern about {concern2}.
""",
"progress": r"""
%sch | {school} attendance has improved from 82% to 95% since the plan started.
#!lac/kinship | {mum} now manages the morning routine without prompts from the FSW.
#!lac/kinship | {mum} has completed the parenting programme and the FSW has seen her use the strategies at home.
#baby/neglect | {c}'s weight has increased steadily and is now on the 25th centile.
#neglect | The home conditions checklist has been met at each of the last four visits.
#substance | {mum} has now attended all her appointments with the drug and alcohol service for three months.
%sch | {c} has been on time for {school} every day this half term.
{c} reports feeling happier at home, and {his} scores on the wellbeing scale have improved.
#neglect/mental_health/substance/dv | {mum} has paid off half the rent arrears and is no longer at risk of eviction.
#!lac/kinship | The family have made good use of the support and need less help with routines.
#substance | {mum} has reduced her drinking, as confirmed by her blood tests, and reports feeling better.
The outcome star scores have improved in five of the six areas since the first review.
#dv | {dad} has completed the perpetrator programme and the programme worker's report is positive.
#exploitation/lac | {c} has not been missing since {month}.
#baby/mental_health | The HV reports that {mum}'s mood has improved, and her EPDS score has dropped from 18 to 8.
""",
}

THEMES = {
"neglect": {
"referral": r"""
{dsl} reports that {c} has been coming to {school} in dirty uniform and with head lice for several weeks.
The HV is worried about the home conditions after a visit where there was rubbish in the hallway and no food in the fridge.
{school} has referred because {c}'s attendance has dropped to 78% and {he} is often hungry.
The dentist has referred because {c} needs several extractions and has missed three appointments.
A neighbour called to say the children are often out on the street late in the evening without an adult.
The GP has referred because {c} has missed two hospital appointments for {his} eczema.
""",
"obs": r"""
The kitchen has been cleaned since the last visit, and the bin bags have been taken out.
{mum} showed me the new bedding for the children's beds, bought with the grant.
The dog mess has been cleared from the garden and the back door now locks.
{c} was wearing clean clothes, and {his} hair had been washed.
{mum} has started using the washing rota the FSW helped her make.
There was bread, cereal, milk and pasta in the kitchen, and a meal planned for tonight.
{mum} said she feels more on top of things now the children have their own drawers for clothes.
The children's beds had clean sheets, and the bedroom floor was clear.
""",
"analysis": r"""
The neglect has improved since the plan began, but it has improved before and then slipped, so the test is whether the change lasts without daily support.
For {c}, the impact of the neglect has been mainly on {his} health and school attendance, and both are now improving.
I judge the risk of significant harm from neglect as reduced but not resolved; {mum} is more motivated than at any point in the file history.
""",
"progress": r"""
{c} has been to the dentist and the treatment is complete.
The FSW reports the home has stayed at an acceptable standard for six weeks.
{c} has not had head lice since the start of term, according to {school}.
""",
"plan": r"""
The FSW will continue the home conditions work for six more weeks, and we will review it with {mum} at the CIN meeting.
{mum} will take {c} to the rebooked dental appointment, and the FSW will go with her.
""",
},
"dv": {
"referral": r"""
Police have shared a notification about a verbal argument between {mum} and {dad} at the address last night; the children were asleep upstairs.
The IDVA has referred following {mum}'s disclosure of controlling behaviour by {dad}.
{school} has shared that {c} told staff {he} heard shouting at home and was upset in class.
{mum} has self-referred asking for support after ending her relationship with {dad}.
The midwife has referred after {mum} disclosed DV in a previous relationship at her booking appointment.
A MARAC notification was received following a high-risk DASH assessment by police.
""",
"obs": r"""
{mum} said she has changed the locks and the police have fitted a panic alarm.
{mum} has kept a log of the messages from {dad}, as advised by the IDVA.
{mum} said she feels safer since the non-molestation order was granted.
{mum} has started the Freedom Programme and has been to three sessions.
{mum} talked about the impact of the relationship on her confidence and how she is rebuilding friendships.
The house was calm and {mum} said the children are sleeping better.
{mum} described how she would explain to {c} what happened in an age-appropriate way.
{c} has been going to the after-school club, which {mum} says gives {him} a break.
""",
"analysis": r"""
The risk of harm from domestic abuse has reduced since {dad} left, because {mum} has taken protective steps and the order is in place; it would rise if contact resumed.
{c} has been exposed to DV for much of {his} life, and the emotional impact shows in {his} anxiety at bedtime, which the plan addresses through direct work.
My view is that {mum} now recognises the impact of the abuse on {c}, and her actions since {month} support this.
""",
"progress": r"""
{mum} has completed the Freedom Programme and described what she learned about coercive control.
There have been no breaches of the non-molestation order, police confirmed.
{c}'s teacher says {he} is more settled and no longer anxious at the end of the day.
""",
"plan": r"""
The IDVA will continue to support {mum} until the court hearing, and the safety plan will be reviewed after it.
Direct work with {c} about feelings and safety will continue at {school} with the learning mentor.
""",
},
"substance": {
"referral": r"""
Police attended the address for a noise complaint and noted drug paraphernalia in the living room.
The drug and alcohol service has shared that {mum} has disengaged from treatment.
{school} reported that {mum} smelled of alcohol at pick-up on two occasions.
The midwife has referred because {mum} disclosed heroin use earlier in the pregnancy.
The GP has referred after {dad} attended the surgery intoxicated with {c}.
""",
"obs": r"""
{mum} showed me the letter confirming her next appointment with the drug and alcohol service.
{mum} said she has stopped buying alcohol with the weekly shop and her sister helps with the shopping.
{mum} was sober and clear throughout the visit.
{mum} keeps her methadone in the locked box provided by the pharmacy, which she showed me.
There was no smell of cannabis in the flat, and {mum} said she now smokes only outside, away from the children.
{mum} talked openly about her triggers and what she does instead of drinking.
{mum} has been going to the recovery cafe on Thursdays.
{dad} said he is attending AA and has a sponsor.
""",
"analysis": r"""
{mum}'s substance use has stabilised, as confirmed by the service's tests, and the impact on {c}'s daily care has reduced accordingly.
The risk is that a relapse would leave {c} without a sober carer; the safety plan means MGM would step in, which reduces the risk to a manageable level.
I am assessing {mum}'s drinking as lower risk at present, based on the blood results and what {c} and {school} tell us.
""",
"progress": r"""
{mum}'s last six drug tests have been negative.
{mum} has been abstinent from alcohol for three months, as confirmed by her liver function test.
{dad} has completed the detox programme and is attending aftercare.
""",
"plan": r"""
Hair strand testing will be repeated in three months to check {mum}'s progress.
The drug and alcohol worker will attend the next CIN meeting to share the test results.
""",
},
"mental_health": {
"referral": r"""
The perinatal mental health team has referred as {mum} has been admitted to the mother and baby unit.
The GP has referred because {mum} has told them she is struggling with low mood and caring for {c}.
{school} has raised that {c} appears to be caring for {mum}, who has not left the house for a month.
Police shared a notification after they were called to a welfare check on {mum}; the children were with MGM.
The adult mental health team has shared that {dad} has been discharged from hospital following a psychotic episode.
""",
"obs": r"""
{mum} said she is taking her medication every morning and her sister checks in daily.
{mum} was brighter than at the last visit and had been out for a walk with {c}.
{mum} talked about her crisis plan and showed me the numbers by the phone.
{mum} has been seeing the community psychiatric nurse every fortnight.
{mum} said she notices early warning signs now, like not sleeping, and knows what to do.
The house was tidy and {mum} had been shopping.
{mum} said she has told {c} about her illness in a way {he} can understand.
%u5 | {mum} has joined a peer support group for mums with postnatal depression.
""",
"analysis": r"""
{mum}'s mental health is more stable, and her care coordinator reports good engagement; the main risk to {c} would come from a relapse, which the crisis plan addresses.
{c} has taken on a caring role for {mum}; the young carers work is helping {him} to have time for {himself}.
The impact of {mum}'s mental health on {c} is mainly emotional, and {his} school report and my observations suggest {he} is coping well with the current support.
""",
"progress": r"""
{mum} has had no hospital admissions since {month}.
{mum}'s care coordinator reports she is well and has reduced to monthly appointments.
{c} has started at the young carers group and looks forward to it.
""",
"plan": r"""
The care coordinator will share any change in {mum}'s mental health with me straight away.
{c} will continue at the young carers group on Wednesdays.
""",
},
"exploitation": {
"referral": r"""
Police have shared that {c} was found in another county with older males and has been returned home.
{school} has referred because {c} has been missing lessons and has been seen with older young people at the gates.
The youth worker has shared that {c} has talked about "making money" and owing someone.
{mum} has reported {c} missing overnight for the second time this month.
The YOT has referred because {c} was arrested in possession of cannabis packaged for supply.
""",
"obs": r"""
{c} agreed to meet me at the cafe and talked about {his} plans for college.
{c} has started attending the boxing club, which {mum} says {he} enjoys.
{mum} has been using the curfew agreed in the plan and says {c} has kept to it most nights.
{c} showed me the new phone {mum} bought {him}, and {mum} knows the passcode.
{c} said {he} has been spending more time with {his} cousin and less with the older group.
{mum} has been in touch with the police missing person coordinator and knows the process.
{c} is attending the alternative provision three days a week.
{c} talked about the music course {he} wants to do.
""",
"analysis": r"""
The exploitation risk has reduced since {c} started the alternative provision and the boxing club, which give {him} structure and trusted adults; the disruption plan continues.
{c} is a victim of exploitation, not an offender, and the plan treats {him} as such; the risk remains high while {he} is in contact with the older group.
The missing episodes have stopped since {month}, and the evidence suggests {c} has moved away from the group; I now judge the risk as medium.
""",
"progress": r"""
#exploitation/lac | {c} has not been missing since {month}.
{c} has attended every session at the alternative provision this month.
The NRM has returned a positive reasonable grounds decision.
""",
"plan": r"""
The mentor from the youth service will see {c} weekly, and the exploitation risk assessment will be reviewed at the next panel.
A return home interview will be completed within 72 hours of any missing episode.
""",
},
"disability": {
"referral": r"""
{mum} has asked for a carers assessment because she is exhausted and {c} does not sleep.
{school} has shared that {c} arrived without {his} communication aid and in a soiled pad.
The community nurse has referred because {mum} is struggling to manage {c}'s gastrostomy feeds.
The paediatrician has asked for a child in need assessment to look at short breaks.
The OT has referred because the family home is not adapted and {mum} is lifting {c} up the stairs.
""",
"obs": r"""
{c} used {his} communication app to tell me {he} wanted juice, and {mum} responded straight away.
{mum} showed me {c}'s sensory corner, which {he} uses when {he} is overwhelmed.
{c}'s wheelchair has been serviced and fits {him} well.
{mum} explained {c}'s medication routine clearly, and the chart was up to date.
{c} was calm during the visit and enjoyed the bubble tube.
The hoist has now been fitted in {c}'s bedroom.
{mum} said the night-time carers have given her the first full nights' sleep in years.
{c} laughed when {sib} played peekaboo with {him}.
""",
"analysis": r"""
{c}'s needs are complex but well understood by {mum}, and with the short breaks in place the risk of carer breakdown has reduced.
{c} communicates mainly through gestures and {his} app; I observed {him} to be relaxed and responsive with {mum}, which supports {mum}'s account of {his} care.
""",
"progress": r"""
{c} has started two overnight short breaks a month and settled well.
{mum}'s carers assessment has been completed and she now has a direct payment.
{c}'s feeding plan is working, and the dietitian is pleased with {his} weight.
""",
"plan": r"""
The short breaks will be reviewed after three months, with {mum}, the provider and {school}.
The OT will visit to look at the bathroom adaptations.
""",
},
"baby": {
"referral": r"""
The midwife has referred at 24 weeks' gestation because of {mum}'s history with children's services.
The HV has referred because {c} has dropped two centiles and {mum} seems overwhelmed.
The hospital has referred after {c} was brought to A&E with a bruise to the face; {c} is not yet mobile.
The maternity safeguarding team has shared that {mum} is 19, has no stable address and is due in eight weeks.
The GP has referred because {mum} has missed {c}'s six-week check and two immunisation appointments.
""",
"obs": r"""
{mum} showed me how she makes up the bottles, and she followed the guidance correctly.
{mum} has set up a feeding chart with the HV and fills it in at every feed.
{mum} said {c} sleeps in the cot in her room and showed me where.
{dad} was changing {c}'s nappy when I arrived and did so gently.
{mum} has been going to the baby group at the children's centre on Wednesdays.
The pram and car seat were in good condition and suitable for {c}'s age.
{mum} was able to talk about {c}'s routine and when {he} usually naps.
{mum} said her mum stays over twice a week to help with night feeds.
""",
"analysis": r"""
{c} is entirely dependent on {his} carers, which makes any gap in care high impact; what I saw today, and what the HV reports, shows {mum} meeting {his} needs consistently.
The risk to {c} from {concern} is reduced by the daily support from MGM and the HV's regular visits, but it would rise if {mum} were alone with {c} for long periods.
""",
"progress": r"""
{c} has regained birth weight and is now following the 25th centile.
{mum} has attended every HV appointment and {c}'s immunisations are up to date.
{mum}'s mood has improved since she started the perinatal support group.
""",
"plan": r"""
The HV will continue weekly weigh-ins until {c} is back on {his} centile.
The pre-birth plan will be shared with the hospital safeguarding midwife.
""",
},
"physical": {
"referral": r"""
{school} has reported a bruise on {c}'s cheek; {c} told the teacher {he} fell off the trampoline.
{c} told a teaching assistant that {dad} "smacks" when {he} is naughty.
A&E has referred after {c} attended with a fractured wrist; the explanation given was a fall from the sofa.
A neighbour reported hearing {dad} shouting and a child crying for a long time.
The GP noticed marks on {c}'s back during a consultation for a cough and has referred.
""",
"obs": r"""
{c} was seen alone and had no visible marks; {he} said {he} is "not smacked any more".
{dad} talked about how he was disciplined as a child and said he wants to do things differently.
{mum} and {dad} have been using the time-out approach from the parenting course.
{c} was relaxed with {dad} and went to him for help with {his} shoelaces.
{mum} showed me the reward chart and said it is working better than shouting.
{dad} has started the anger management course through the GP.
{c} said home is calmer and {dad} "counts to ten now".
The marks reported by {school} have faded, and the paediatrician's report has been received.
""",
"analysis": r"""
The CP medical found the bruise consistent with the explanation given, and {c}'s account matched; I do not consider {c} at risk of significant harm from physical abuse.
{dad}'s acceptance that smacking is not acceptable, together with the parenting work, reduces the risk; the plan continues to check how discipline is managed.
""",
"progress": r"""
{school} has seen no marks or injuries since the plan began.
{mum} and {dad} completed the parenting course and both attended every session.
{c} told {his} teacher {he} feels safe at home.
""",
"plan": r"""
{school} will continue to let me know about any injuries or worries straight away.
The parenting work will focus on managing {c}'s behaviour without physical punishment.
""",
},
"lac": {
"referral": r"""
{c} became looked after under Section 20 on {olddate} with {mum}'s consent, following the breakdown of the kinship arrangement.
{c} was placed with foster carers under an interim care order made on {olddate}.
{c} moved to this placement on {olddate} after the previous carers gave notice.
{c} is looked after under a full care order and the plan is long-term fostering.
""",
"obs": r"""
{carer} said {c} has settled well and is eating and sleeping better.
{c} showed me {his} bedroom at the foster home, which {he} has decorated with posters.
{carer} is taking {c} to football training twice a week.
{c} has a life story book that {carer} is helping {him} to add to.
{carer} reported that contact with {mum} went well and {c} came back happy.
{c} was relaxed with {carer} and sought her out when {he} wanted a snack.
{carer} has been supporting {c} with homework every evening.
{c} has joined the local cubs group and has made a new friend.
""",
"analysis": r"""
{c} has formed a secure attachment to {carer}, and the placement is meeting {his} needs; the main risk to stability is {his} anxiety before contact, which the carers are managing well.
The placement is stable, and {c}'s progress at {school} supports this; permanence through long-term fostering is the right plan for {him}.
""",
"progress": r"""
{c}'s PEP targets have been met and {his} attendance is 98%.
{c}'s initial health assessment has been completed and all actions are done.
{c} has had no school exclusions since moving to this placement.
""",
"plan": r"""
The next LAC review is booked, and {c} will meet the IRO beforehand.
Contact with {mum} will continue fortnightly at the family centre.
""",
},
"kinship": {
"referral": r"""
{c} has been living with {carer} since {olddate}, after {mum} was admitted to hospital.
{carer} has asked for help as she is caring for {c} under an informal arrangement and has no financial support.
{carer} has applied for an SGO and the court has asked for an assessment.
{c} was placed with {carer} under Regulation 24 on {olddate} as a temporary approval.
""",
"obs": r"""
{carer} has set up a bedroom for {c} and bought a new bed and wardrobe.
{carer} said {c} is sleeping through the night now and has stopped wetting the bed.
{carer} takes {c} to {school} every day and has met the teacher.
{carer} talked about how she manages {mum}'s contact and keeps it positive for {c}.
{c} calls {carer} "nanna" and was relaxed and playful with her.
{carer} said her partner helps with the school run and the evenings.
{carer} showed me the contact diary she keeps.
{carer} has joined a kinship carers support group that meets monthly.
""",
"analysis": r"""
{carer} is meeting {c}'s needs well, and {c} is thriving; the main pressure on the placement is financial, which the SGO support plan addresses.
{carer} understands the risks {mum} poses and has shown she can manage contact safely, which is key to the plan.
""",
"progress": r"""
The connected person assessment was positive and {carer} has been approved as a foster carer for {c}.
{c}'s behaviour at {school} has improved since moving in with {carer}.
{carer} now receives the kinship allowance.
""",
"plan": r"""
The kinship support worker will visit {carer} monthly.
The SGO support plan will be finalised before the final hearing.
""",
},
}
