"""Sentence bank: supervision_issue.  Format: see risk.py."""

LABEL = "supervision_issue"

GAP = r"""
@topic cancelled
su,cn | Supervision cancelled again due to TM sickness.
su,cn | Supervision booked for {date} was cancelled at short notice and has not been rebooked.
su | Supervision postponed for the second month running because of court commitments.
cn,hv @w | My supervision was cancelled this week so I have not been able to talk this case through.
su,cn | Supervision did not go ahead today; the TM was called into a complaint meeting.
su | Supervision scheduled for this morning was cut to ten minutes and the case was not discussed.
cn @w | Supervision was moved three times this month and in the end did not happen.
su,cn | Supervision cancelled; TM on leave and no alternative arranged.
su | Rearranged supervision also cancelled. Next date not yet set.

@topic overdue
* @w | Last supervision was in {month}.
cn,su | Supervision is now {weeks} weeks overdue.
su | This is the first supervision since {month}, and the case had not been discussed since allocation.
cn,hv @w | I have not had formal supervision since {month}.
su,cn | No supervision is recorded on this file since the case was allocated in {month}.
su | Supervision frequency for this worker has been every two to three months rather than monthly.
cn @w | I have asked for supervision several times and have been told to wait until the new rota.
su,cn | The case has not been discussed in supervision since the ICPC.

@topic nodirection
cn,hv @w | I could not get any case direction before the visit, so I have done what I thought best.
cn @w | Asked for a case discussion about the new information but was told there was no time this week.
cn @w | I do not know what the plan for this case is as it has not been discussed with me in supervision.
hv,cn @w | Unsure whether I should have shared the information with {school}; I have not been able to get advice in supervision.
cn @w | I raised the case as a worry at the last team meeting but it has not been picked up in supervision.
cn @w | I am holding this case without any discussion of it in supervision and feel out of my depth.

@topic tasklist
su @m | Supervision: actions - visit by Friday; chase {school}; update chronology. No other discussion.
su @m | Case discussed briefly. Actions: complete assessment; book CIN meeting.
su @m | Caseload run-through, this case RAG-rated amber, actions carried forward.
su @m | Supervision record: tasks listed and deadlines set; no discussion of {c}'s lived experience or the risks.
su @m | Cases discussed - see action log.
su @m | Actions from last supervision carried over as not done.
su @m | Supervision focused on overdue performance figures and data cleansing; individual cases were not discussed.
su @m | Brief catch-up in the corridor: SW to keep visiting.
su @m | Supervision: 1) visit 2) chase HV 3) CIN minutes. Nothing further.
su @m | Discussed compliance: visits in timescale, chronology up to date. Case to continue.
su @m | Supervision template completed with "as above" in the reflection and analysis boxes.
su @m | We went through the checklist for the audit; there was no discussion of the progress of {c}'s plan.

@topic nqsw
* @w @q | As an NQSW I am holding this CP case on my own and my supervision has been cancelled twice.
cn,hv @w @q | As a newly qualified worker I have not yet had a joint visit or any case supervision on this complex case.
su,cn @Q | NQSW allocated a PLO case in their first month, with no protected caseload and no recorded supervision.
cn @Q | The NQSW's ASYE supervision has not taken place this month.
cn @w @q | I'm in my ASYE and have had one supervision in three months.
su @Q | NQSW raised that she does not feel supported with this case; no plan was agreed to address this.

@topic student
* @w @s | As a student I completed the visit alone and have not been able to discuss it with my practice educator.
cn,hv @S | Student SW holding this case and visiting alone; no practice educator supervision recorded.
cn @w @s | Student placement supervision did not happen this week, and I have questions about the risk on this case.
su @S | The student's weekly supervision has not happened for three weeks.
hv @w @s | I went on my own because no one was free to co-work, and I'm still a student.
cn @S | Practice educator off sick; student left without supervision while holding three cases.

@topic reflection
su @m | No reflection recorded in supervision on why the plan is not working.
su @m | The supervision note does not mention {c} by name or what {his} day is like.
su @m | Supervision was held but the worker's concerns about the case were not explored.
su @m | Supervision lasted 15 minutes for a caseload of 24, so this case got a one-line update.
su @m | Group supervision only this month, and this case was not one of those discussed.
cn @w | Supervision is always just a list of deadlines; there is no space to think about the families.
"""

NEAR = r"""
@topic cancelled
su | Supervision was moved from Tuesday to Thursday because of the TM's leave and was held in full on Thursday; we reflected on {c}'s lived experience and agreed that the focus must be on {concern}.
su,cn | Supervision had to be rearranged due to TM sickness and was held the next day with the SP; the case was discussed in depth and actions were agreed with dates.
cn,hv @w | My supervision moved to next week, so I had a case discussion with the SP before the visit and we agreed what I needed to explore with {mum}.
su | Supervision delayed by two days because of court but held today for an hour, with time to reflect on how the court process is affecting {c}.

@topic overdue
su | Monthly supervision held on time; we reviewed the progress of {c}'s plan against each outcome and agreed what needs to change.
cn,su | Supervision is up to date; the last three sessions all discussed this case, and today's focused on the impact of {concern} on {c}.
su | Supervision held today as scheduled; we used the chronology to reflect on the pattern of incidents since the ICPC.
cn,hv @w | I had supervision yesterday, where we talked through the risks and agreed the questions for today's visit.
su | Regular supervision in place every four weeks; today we looked at whether the CIN plan is making a difference for {c}.

@topic nodirection
cn,hv @w | Before the visit I had case direction from the TM, who asked me to see {c} alone and to check the sleeping arrangements.
cn @w | I asked for a case discussion about the new information and the SP made time the same afternoon; we agreed the next steps together.
cn @w | The plan for this case was clarified in supervision: the priority is {concern}, and I know what I need to do by the next review.
hv,cn @w | I was unsure about sharing the information with {school}, so I discussed it with the TM in supervision and we agreed consent was not needed because of the risk.

@topic tasklist
su @m | Supervision held today; we reflected on the impact of {dad}'s drinking on {c} and how {c} experiences weekends, and agreed that the next CIN meeting needs to test whether {dad} is really engaging.
su @m | Case discussion: we thought about {c}'s day from {his} point of view and what has changed since the last review; the worker felt the plan is drifting, so we agreed to bring the review forward.
su @m | Reflective discussion of the hypotheses about why {mum} disengages when the plan focuses on the home; we agreed to try joint visits with the FSW and see whether this helps.
su @m | Supervision: we discussed the worker's worry that {concern} is being minimised and looked at the evidence together; actions with dates are recorded below.
su @m | Supervision today covered the risks, {c}'s wishes and feelings, and the progress of the plan; we agreed the case should move to the pre-proceedings stage if there is no change by {next}.
su @m | We used the signs of safety framework in supervision to map what we are worried about, what is working well and what needs to happen, and {c}'s three houses work was considered.
su @m | Supervision: we reflected on the worker's feelings about {mum}'s hostility and how this might affect the assessment, and agreed a joint visit with the SP.
su @m | The supervision was reflective: we considered what life is like for {c} on a school night and agreed the evidence we still need before the RCPC.

@topic nqsw
* @w @q | As an NQSW I have weekly supervision with the SP and we co-worked the first two visits on this case before I took the lead.
cn,hv @w @q | As a newly qualified worker I had a joint visit with the SP today, and we discussed the case in supervision beforehand.
su @Q | ASYE supervision held fortnightly as planned; today we discussed how the NQSW is managing this complex case and agreed the SP will attend the next core group with her.
cn @Q | The NQSW has a protected caseload and this case was allocated after discussion in her ASYE supervision.

@topic student
* @w @s | As a student I completed the visit with my practice educator and we reflected on it together afterwards.
cn,hv @S | Student SW co-working this case with the allocated SW, with weekly supervision from the practice educator recorded on file.
su @S | Student supervision held weekly; this week we reflected on the student's first child protection visit and what she noticed about {c}.
cn @w @s | I discussed my worry about the risk on this case with my practice educator today and we agreed to raise it with the TM together.

@topic reflection
su @m | Supervision explored why the plan is not working: we think the family support is not matched to {mum}'s learning needs, so the plan will be changed at the next review.
su @m | In supervision we talked about {c} by name, what {his} day is like and what {he} has said, and the worker's analysis was recorded.
su @m | The worker raised concerns about the case in supervision and we spent time on them; we agreed the TM will attend the next meeting.
su @m | Supervision was short today because of a court hearing, so we booked a full session for Monday; in the time we had, we agreed the immediate safety actions for {c}.
cn @w | I have supervision every three weeks and this case is always discussed; today we reflected on why {mum} finds the visits hard.
su | Supervision held with the SP while the TM is on leave, as arranged in advance; the SP had read the file and we reviewed the risks and the plan.
su @m | We reflected on the last three visit records together and noticed that {c}'s voice is getting lost, so the next visit will be planned around direct work with {him}.
su @m | Supervision today: we went back to the hypothesis from the assessment and agreed it still fits, because {mum} copes well until money runs out at the end of the month.
cn @w | Following supervision on {date}, I am clear about the plan: the focus is {concern}, and my TM will review progress with me in four weeks.
su | Unannounced group supervision was replaced by individual supervision for this worker because of the complexity of the case; we spent an hour on {c}'s plan.
su @m | Before the RCPC we used supervision to test the worker's recommendation against the evidence, and agreed it is sound.
su @m | Group supervision this month focused on this case; the team reflected on the family's pattern of engagement and offered new ideas.
"""
