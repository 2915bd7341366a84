"""Sentence bank: risk_analysis_gap.

Line format (parsed by generate.py):  TYPES [FLAGS] | sentence
  TYPES  comma list of note-type codes (hv home_visit, ct contact, cn case_note,
         su supervision, md management_decision, sd strategy_discussion,
         as assessment, me meeting, cl closure) or * for any.
  FLAGS  !  gap shown by absence at a decision point
         ^a / ^o / ^p  preferred section (analysis / observations / plan)
         @w / @m  author must be a worker / a manager
         %sch %teen %young %baby  child age constraints
         #theme/theme  only for these case themes
  @topic NAME  starts a group; near-miss notes are paired with gap notes of the same topic.
  [a|b] alternatives and {slots} are filled per note.
"""

LABEL = "risk_analysis_gap"

GAP = r"""
@topic incident
hv,cn,ct #dv | {mum} mentioned that {dad} had "kicked off" at the weekend and the police were called; {c} was in the house at the time.
hv,cn #dv/neglect/substance | The neighbour has reported shouting and banging from the flat most nights [this week|over the last fortnight].
ct,cn #dv/mental_health | {agency} advised that {mum} attended A&E on {date} with a [cut to her head|facial injury] she said was from a fall.
hv %sch #dv/substance/physical | {c} told me {dad} "hits the wall and shouts" when he has been drinking.
hv #substance | Empty [cans|vodka bottles] were lined up in the kitchen and {mum} was [unsteady on her feet|slurring her words] during the visit while {c} was at home.
hv #substance/neglect | There was a strong smell of cannabis in the flat and {c} was asleep in the same room.
ct,cn #dv | Police notification received: {dad} was arrested on {date} after an altercation at the address, with {c} and {sib} present.
hv #dv | {mum} disclosed that her ex-partner has been texting threats again and turned up outside {school} on {date}.
ct,cn %sch #neglect | {dsl} reports {c} has come in hungry [three|four] days this week and was taking food from other children's lunchboxes.
hv,cn %teen #exploitation/lac | {c} has been reported missing twice since the last visit, returning after midnight with a new phone and [trainers|a designer jacket].
hv #neglect | The bedroom {c} shares with {sib} had a mattress on the floor, no bedding, and dog mess on the landing.
hv,cn #mental_health | {mum} said she has "not been great", has stopped taking her medication and has not left the flat for two weeks.
hv,ct #physical/neglect/dv | {c} has a [bruise to the upper arm|mark on the cheek|graze and bruise on the forehead] which {mum} said happened at the park.
hv %baby #baby/substance | Baby {c} was asleep on the sofa next to {mum}, who was also asleep when I arrived; the front door was unlocked.
ct,cn %sch | {dsl} reported that {c} said "mummy's friend touched me" and then would not say any more.
hv,cn %teen #exploitation | {c} was seen getting into a car with two older males outside the house; {mum} said they are "just friends".
cn,ct %teen #exploitation | The YOT worker flagged that {c} was found with [£400|£250] in cash and two phones when stopped by police.
hv #dv/physical | {dad} was at the property during the visit despite the written agreement that he would not have unsupervised contact.
hv,cn #disability | {mum} said she had to "hold {c} down" on the bedroom floor during a meltdown last week and {he} ended up with a carpet burn.
hv,cn #kinship/lac | {carer} said {mum} turned up at the house [drunk|under the influence] on Sunday and tried to take {c} to the shop.
hv #baby | {mum} said she props the bottle up on a cushion so she can get on with things while baby {c} feeds.

@topic list
* ^a #dv/substance/neglect | Risk factors: DV, parental alcohol use, poor home conditions.
* ^a #neglect/dv/mental_health/substance | Concerns remain around [neglect, DV and mum's mental health|home conditions, school attendance and mum's drinking].
* ^a #neglect/baby/substance | Ongoing worries re {concern}, {concern2} and money.
as,sd,me ^a #!lac/kinship | Known risks are {concern}, {concern2} and a history of a previous CP plan for {sib}.
as ^a #!lac/kinship | The family presents with multiple vulnerabilities including {concern}, {concern2} and financial hardship.
hv,cn ^a | Same issues as at the last visit; no change with {concern}.
me ^a | Agencies shared concerns about {concern}, {concern2} and the state of the home, and these were noted.
as ^a #dv/substance/baby | Factors noted: young parents, DV, substance misuse, previous LAC episode for {mum}.
* ^a | Professionals remain worried about {concern}.
sd ^a | Information was shared by all agencies and the concerns are {concern} and {concern2}.
as,me ^a #exploitation/lac | Vulnerabilities: [CSE indicators, going missing, older peer group|missing episodes, cannabis, NEET, older associates].
hv ^a #!lac | Issues: {concern}; {concern2}; debts; dog not walked.

@topic selfreport
hv,cn #dv/physical | {mum} says {dad} has left and is no longer in contact; no further checks made.
hv #substance | {mum} said she has not used since {month} and I have taken this at face value as she was adamant.
hv,cn #substance/dv | {dad} told me he has stopped drinking and said there was no need to involve the alcohol service.
hv,ct #physical/neglect | {mum} reports the bruising was caused by {sib} with a toy and this explanation was accepted.
hv #dv/neglect | {mum} assured me the boyfriend does not stay over; I did not see the bedrooms.
ct %sch | {mum} phoned to say everything is fine now and {c} is back at {school}; {school} was not contacted to confirm.
hv #lac/kinship | {carer} said {mum} has had no unsupervised contact since the order, which was not checked with anyone else.
cn #dv | {dad} states the non-molestation order is being respected and there is nothing to worry about.
hv #mental_health | {mum} said she is back on her medication and seeing the GP; I have not contacted the GP to confirm.
hv,cn %teen #exploitation | {c} said the cash was from "doing a bit of work for a mate" and {mum} accepted this.

@topic noconcerns
hv #neglect | The house was very cluttered with [dirty nappies|rotting food] in the kitchen and the smoke alarm hanging off the ceiling; no safeguarding concerns noted.
hv,cn #dv | Despite the police call-out on {date}, risk is considered low.
as #physical ^a | Although {c} has had three unexplained injuries this year, risk is assessed as low.
hv %young #dv/substance | {c} said {he} was "scared when daddy shouts"; otherwise no concerns.
sd #physical/dv ^a | Strategy discussion concluded no concerns despite the disclosure {c} made to the teacher.
me %sch #neglect | The review noted {c} had missed 14 sessions of {school} this term; no concerns were raised.
hv #mental_health | {mum} was tearful and said she "can't cope anymore"; no concerns for the children's safety at present.
hv #substance/baby | Nappy bucket overflowing, cigarette ends in the ashtray at baby height and a smell of weed, but overall no concerns today.
me,as #exploitation ^a | Despite the [third|latest] missing episode this month, {c} is not felt to be at risk of exploitation.
hv #disability | {c} was in the same pad as at the last visit and had sores on {his} legs; presentation otherwise fine.

@topic safetyplan
hv,cn,me | Safety plan remains in place.
hv,cn | Safety plan discussed with {mum}.
cn,hv,me | There has been no review of the safety plan following the incident on {date}.
me,as | Safety plan to continue as before.
hv | Reminded {mum} of the safety plan.
sd ^p | A safety plan is to be put in place.
hv,cn | Safety plan agreed verbally with the family but its content is not set out anywhere.
hv,cn #dv/physical | The safety plan from {olddate} has not been looked at since {dad} moved back in.

@topic decision
hv @w | Advised {mum} it is fine for {dad} to babysit on Saturday.
hv,cn @w #dv/physical | Agreed that {dad} can pick {c} up from {school} from next week.
hv,cn @w #lac/kinship | Told {carer} that {c} can start overnight stays with {mum} at the weekend.
cn @w %teen #exploitation | Agreed with {mum} that {c} can go back to staying at a friend's flat at weekends.

@topic disclosure
hv %sch #dv/physical | {c} told me {he} does not like going to {dad}'s because "he gets cross and grabs me"; we then talked about {his} birthday plans.
ct %sch #neglect/dv | {dsl} passed on that {c} said {he} is "not allowed tea when mum's boyfriend is there".
hv %teen #exploitation/lac | {c} said {he} sometimes stays at a flat "with older lads" but would not say where.
me %sch #neglect/physical | {c} told the teacher {he} had been "locked in my room all weekend" and this was shared at the meeting.
"""

NEAR = r"""
@topic incident
hv,cn #dv | {mum} told me about the argument at the weekend when police were called; as this is the second incident this month and {c} was in the house, I have assessed the risk as increased, and {mum} has agreed that {dad} will not return to the address while police enquiries continue, which I will check with police on {next}.
hv #substance | {mum} appeared under the influence during the visit; because {c} is only {age} and there was no other adult present, I asked MGM to come over, she arrived within 20 minutes and {c} is staying with her tonight while I review the plan with the TM tomorrow.
ct,cn %sch #neglect | {dsl} reports {c} came in hungry three days this week; taken with the weight loss noted by the school nurse this suggests {his} basic needs are not being met, so I will visit today, check the food in the home and raise this at the core group on {next}.
hv #neglect | The bedroom {c} shares with {sib} had no bedding and there was dog mess on the landing; given the children's ages and that this is a deterioration since {olddate}, the impact on their health is significant, and {mum} agreed a cleaning plan with FSW support starting tomorrow and a check visit on Friday.
hv,cn %teen #exploitation | {c} has been missing twice since the last visit and returned with new items; I assess these as strong indicators of criminal exploitation, a strategy discussion has been requested for tomorrow and the return home interview is booked for {next}.
hv #mental_health | {mum} said she has stopped her medication; given her history of relapse and that she is the sole carer for a {age}-year-old, I assessed this as raising the risk, contacted the GP the same afternoon, and the crisis team will see her tomorrow with MGM staying in the meantime.
hv,ct #physical | {c} had a bruise to the upper arm which {mum} said happened at the park; because the mark looked like fingertip bruising and {c} gave a different account, I followed the bruising protocol, discussed with the TM straight away and a child protection medical is booked for this afternoon.
hv %baby #baby | Baby {c} was asleep on the sofa next to {mum}; we talked through why co-sleeping on a sofa is so dangerous for a baby of this age, I watched {mum} put {c} down in the Moses basket, and the HV will repeat the safe sleep advice at her visit on {next}.
hv #disability | {mum} described having to hold {c} down during a meltdown; we discussed the risk of injury to both of them, she agreed to stop using the hold, and I have referred to the positive behaviour support team and brought forward the OT visit to next week.
hv,cn #kinship | {carer} said {mum} arrived intoxicated on Sunday; {carer} handled it well by refusing entry, and we updated the written safety plan so that {carer} calls police if it happens again and contact moves to the family centre from next week.
cn %teen #exploitation | The YOT worker flagged the cash and phones found on {c}; this fits the pattern of county lines involvement, so the NRM referral is being completed today and the risk of exploitation is rated high pending the strategy meeting.
hv,cn #dv | {mum} disclosed fresh threats from her ex-partner; because he has breached bail before and knows {school}, I rated risk as high, made a MARAC referral, updated the safety plan with {dsl} and {mum} is reporting the texts to police today.
hv #baby | {mum} said she props the bottle so she can get on with things; I explained the choking risk for a baby of {c}'s age, modelled holding {c} to feed and the HV will check at her visit on Thursday.

@topic list
as ^a | The key risks are the DV and mother's drinking; for {c} at {age} this means {he} is exposed to frightening arguments most weekends and is often left without a sober adult, which I judge as likely to continue unless {dad} engages with the perpetrator programme.
as,me ^a | Taken together, {concern} and {concern2} mean {c}'s day-to-day care is unpredictable; the impact is seen in {his} poor attendance and tiredness, and the plan addresses each of these with named actions and dates.
hv,cn ^a | There are still worries about {concern}; since the last visit there has been some improvement, but it is not yet consistent enough for me to judge that {c} is safe without the current level of support, so weekly visits continue.
sd ^a | Agencies shared concerns about {concern} and {concern2}; the group agreed that because the incidents are escalating in frequency and {c} has been present each time, the threshold for s47 enquiries is met.
as ^a | The history of a previous CP plan for {sib} is relevant because the same pattern of {concern} is now emerging, and the risk of significant harm to {c} is assessed as medium and rising.
me ^a | The vulnerabilities discussed (missing episodes, cannabis use, older associates) were weighed together and the group agreed {c} is at high risk of exploitation, with the disruption plan to be led by police and reviewed in four weeks.

@topic selfreport
hv,cn #dv | {mum} says {dad} has left; I checked this with police, who confirmed he is bailed to an address in another town, and with housing, who confirmed he is no longer on the tenancy.
hv #substance | {mum} said she has not used since {month}; the drug service confirmed her last three tests were negative and she has attended every key work session.
hv,ct #physical | {mum} said the bruising was caused by {sib}; I asked {c} separately and {he} gave the same account, the school saw the incident happen at pick-up, so I am satisfied with the explanation.
ct %sch | {mum} phoned to say {c} is back at {school}; I rang {dsl}, who confirmed {c} has attended every day this week and is settled.
hv #lac/kinship | {carer} told me {mum} has not had unsupervised contact; this matches the contact centre records and what {c} told me when I saw {him} alone.
hv #mental_health | {mum} said she is back on her medication; with her consent I spoke to the GP, who confirmed the prescription was collected and she has a review booked for {next}.

@topic noconcerns
hv ^a | The home was cluttered but there was food in the fridge, the children's beds were made up and the smoke alarm was working; taking this together with {school}'s positive report, I do not have safeguarding concerns about home conditions at present.
hv,cn #dv | Following the police call-out on {date}, I reviewed the incident with police: it was a verbal argument between {mum} and her sister, {c} was at school, and there is no indication of domestic abuse, so risk remains low and the existing plan continues.
as ^a | Risk is assessed as low because the injury has a consistent explanation from three sources, there is no previous history, {c} presents as happy and well cared for, and {mum} sought medical help promptly.
me,as #exploitation ^a | Although {c} went missing last month, this was a single episode with a clear explanation, {he} was with a known friend, and the return interview found no indicators of exploitation, so risk is judged as low.

@topic safetyplan
hv,cn,me | The safety plan was reviewed after the incident on {date} and updated: {dad} will not stay overnight, {mum} will call police if he arrives, and MGM will collect {c} from {school} on Fridays.
hv,cn | Safety plan discussed with {mum}; she could tell me the three steps she will take if {dad} comes to the house and the safe adult {c} can go to, and a copy is on the fridge.
me,as | The safety plan was reviewed at the meeting: contact with {dad} remains supervised at the family centre, the school will report any absence by 10am, and {mum} will update the SW weekly; the group agreed it is still working.
hv | We went through the safety plan again with {c} in words {he} understands, and {he} was able to say who {he} would ring and where the spare key is kept.
sd ^p | A written safety plan was agreed at the end of the meeting: {c} to stay with MGM until the s47 visit, police to attend if {dad} comes to the address, the SW to review it with {mum} tomorrow.

@topic decision
hv @w | {mum} asked whether {dad} can babysit; I explained this cannot happen until the assessment of his drinking is complete, as the risk to {c} when he has been drinking is not yet understood.
hv,cn @w #lac/kinship | Overnight stays with {mum} are to start at the weekend as agreed at the LAC review, because the last six supervised contacts have gone well and {mum}'s drug tests are all clear.
cn @w %teen #exploitation | {mum} asked if {c} can stay at a friend's at weekends; I said not while the exploitation risk is being assessed, and we agreed {c} can have the friend over to the house instead.

@topic disclosure
hv %sch | {c} told me {dad} "gets cross and grabs me"; I explored this with {him} gently, explained I would need to share it, spoke to the TM straight after the visit and a strategy discussion is booked for tomorrow morning.
ct %sch | {dsl} passed on that {c} said {he} is not allowed tea when mum's boyfriend is there; I visited the same afternoon, {c} repeated this and I have arranged a joint visit with the HV and a core group on {next} to look at the food in the home.
me %sch | {c}'s comment to the teacher about being locked in {his} room was discussed in full; the group agreed this needs a strategy discussion and it was convened for the same day.
"""
